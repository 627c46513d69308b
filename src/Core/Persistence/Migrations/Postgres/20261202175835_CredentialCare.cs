using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dataraven.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CredentialCare : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CredentialExpirationDays",
                table: "vault_connections",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CredentialsUpdatedAt",
                table: "vault_connections",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc));

            migrationBuilder.AddColumn<int>(
                name: "CredentialExpirationDays",
                table: "secrets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CredentialsUpdatedAt",
                table: "secrets",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc));

            migrationBuilder.CreateTable(
                name: "AspNetUserPasskeys",
                columns: table => new
                {
                    CredentialId = table.Column<byte[]>(type: "bytea", maxLength: 1024, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Data = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserPasskeys", x => x.CredentialId);
                    table.ForeignKey(
                        name: "FK_AspNetUserPasskeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notification_email_opt_outs",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_email_opt_outs", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_notification_email_opt_outs_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "IX_AspNetUserPasskeys_UserId",
                table: "AspNetUserPasskeys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_object_owners_TeamId_ObjectType",
                table: "object_owners",
                columns: new[] { "TeamId", "ObjectType" });

            migrationBuilder.CreateIndex(
                name: "IX_object_owners_TeamId_UserId",
                table: "object_owners",
                columns: new[] { "TeamId", "UserId" });

            // Existing rows: their last update is the latest moment their credentials can have changed (hand-written:
            // keep it when regenerating this migration).
            migrationBuilder.Sql("UPDATE vault_connections SET \"CredentialsUpdatedAt\" = \"UpdatedAt\";");
            migrationBuilder.Sql("UPDATE secrets SET \"CredentialsUpdatedAt\" = \"UpdatedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AspNetUserPasskeys");

            migrationBuilder.DropTable(
                name: "notification_email_opt_outs");

            migrationBuilder.DropTable(
                name: "object_owners");

            migrationBuilder.DropColumn(
                name: "CredentialExpirationDays",
                table: "vault_connections");

            migrationBuilder.DropColumn(
                name: "CredentialsUpdatedAt",
                table: "vault_connections");

            migrationBuilder.DropColumn(
                name: "CredentialExpirationDays",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "CredentialsUpdatedAt",
                table: "secrets");
        }
    }
}
