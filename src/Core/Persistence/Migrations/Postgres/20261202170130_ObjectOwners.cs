using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dataraven.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ObjectOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "object_owners",
                columns: table => new
                {
                    ObjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    ObjectType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_object_owners", x => new { x.ObjectId, x.UserId });
                    table.ForeignKey(
                        name: "FK_object_owners_team_members_TeamId_UserId",
                        columns: x => new { x.TeamId, x.UserId },
                        principalTable: "team_members",
                        principalColumns: new[] { "TeamId", "UserId" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_object_owners_TeamId_ObjectType",
                table: "object_owners",
                columns: new[] { "TeamId", "ObjectType" });

            migrationBuilder.CreateIndex(
                name: "IX_object_owners_TeamId_UserId",
                table: "object_owners",
                columns: new[] { "TeamId", "UserId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "object_owners");
        }
    }
}
