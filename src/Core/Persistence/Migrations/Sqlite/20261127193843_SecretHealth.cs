using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dataraven.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecretHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "Health_CheckedAt",
                table: "secrets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Health_ErrorClass",
                table: "secrets",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "Health_ExpiresAt",
                table: "secrets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Health_LastCheckJson",
                table: "secrets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Health_Status",
                table: "secrets",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Unchecked");

            migrationBuilder.AddColumn<string>(
                name: "Health_TargetBucket",
                table: "secrets",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Health_TargetEndpointUrl",
                table: "secrets",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Health_TargetRegion",
                table: "secrets",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Health_CheckedAt",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_ErrorClass",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_ExpiresAt",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_LastCheckJson",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_Status",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_TargetBucket",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_TargetEndpointUrl",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "Health_TargetRegion",
                table: "secrets");
        }
    }
}
