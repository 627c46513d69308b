using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dataraven.Core.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CredentialExpiry : Migration
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
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

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
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Existing rows: their last update is the latest moment their credentials can have changed (hand-written,
            // keep it when regenerating this migration).
            migrationBuilder.Sql("UPDATE vault_connections SET \"CredentialsUpdatedAt\" = \"UpdatedAt\";");
            migrationBuilder.Sql("UPDATE secrets SET \"CredentialsUpdatedAt\" = \"UpdatedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
