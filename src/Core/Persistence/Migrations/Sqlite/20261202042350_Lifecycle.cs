using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dataraven.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Lifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_vault_connections_TeamId_NameNormalized",
                table: "vault_connections");

            migrationBuilder.DropIndex(
                name: "IX_secrets_TeamId_NameNormalized",
                table: "secrets");

            migrationBuilder.AddColumn<DateTime>(
                name: "DeletedAt",
                table: "vault_connections",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DeletedBy",
                table: "vault_connections",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PurgeAt",
                table: "vault_connections",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeletedAt",
                table: "secrets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DeletedBy",
                table: "secrets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PurgeAt",
                table: "secrets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_vault_connections_PurgeAt",
                table: "vault_connections",
                column: "PurgeAt");

            migrationBuilder.CreateIndex(
                name: "IX_vault_connections_TeamId_NameNormalized",
                table: "vault_connections",
                columns: new[] { "TeamId", "NameNormalized" },
                unique: true,
                filter: "\"DeletedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_secrets_PurgeAt",
                table: "secrets",
                column: "PurgeAt");

            migrationBuilder.CreateIndex(
                name: "IX_secrets_TeamId_NameNormalized",
                table: "secrets",
                columns: new[] { "TeamId", "NameNormalized" },
                unique: true,
                filter: "\"DeletedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_vault_connections_PurgeAt",
                table: "vault_connections");

            migrationBuilder.DropIndex(
                name: "IX_vault_connections_TeamId_NameNormalized",
                table: "vault_connections");

            migrationBuilder.DropIndex(
                name: "IX_secrets_PurgeAt",
                table: "secrets");

            migrationBuilder.DropIndex(
                name: "IX_secrets_TeamId_NameNormalized",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "vault_connections");

            migrationBuilder.DropColumn(
                name: "DeletedBy",
                table: "vault_connections");

            migrationBuilder.DropColumn(
                name: "PurgeAt",
                table: "vault_connections");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "DeletedBy",
                table: "secrets");

            migrationBuilder.DropColumn(
                name: "PurgeAt",
                table: "secrets");

            migrationBuilder.CreateIndex(
                name: "IX_vault_connections_TeamId_NameNormalized",
                table: "vault_connections",
                columns: new[] { "TeamId", "NameNormalized" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_secrets_TeamId_NameNormalized",
                table: "secrets",
                columns: new[] { "TeamId", "NameNormalized" },
                unique: true);
        }
    }
}
