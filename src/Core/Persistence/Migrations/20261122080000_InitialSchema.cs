using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Dataraven.Core.Persistence.Migrations;

/// <summary>
/// Hand-written (EF Core's design package is not available here): the SQL is what the model generates.
/// MigrationsTests apply every migration and compare the schema with the model's, so drift fails a test.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261122080000_InitialSchema")]
public sealed class InitialSchema : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.Sql("""
            CREATE TABLE "AspNetUsers" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
                "CurrentTeamId" TEXT NULL,
                "UserName" TEXT NULL,
                "NormalizedUserName" TEXT NULL,
                "Email" TEXT NULL,
                "NormalizedEmail" TEXT NULL,
                "EmailConfirmed" INTEGER NOT NULL,
                "PasswordHash" TEXT NULL,
                "SecurityStamp" TEXT NULL,
                "ConcurrencyStamp" TEXT NULL,
                "PhoneNumber" TEXT NULL,
                "PhoneNumberConfirmed" INTEGER NOT NULL,
                "TwoFactorEnabled" INTEGER NOT NULL,
                "LockoutEnd" TEXT NULL,
                "LockoutEnabled" INTEGER NOT NULL,
                "AccessFailedCount" INTEGER NOT NULL
            );
            """);
        b.Sql("""
            CREATE TABLE "teams" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_teams" PRIMARY KEY,
                "Name" TEXT NOT NULL,
                "Tier" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL
            );
            """);
        b.Sql("""
            CREATE TABLE "AspNetUserClaims" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
                "UserId" TEXT NOT NULL,
                "ClaimType" TEXT NULL,
                "ClaimValue" TEXT NULL,
                CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );
            """);
        b.Sql("""
            CREATE TABLE "AspNetUserLogins" (
                "LoginProvider" TEXT NOT NULL,
                "ProviderKey" TEXT NOT NULL,
                "ProviderDisplayName" TEXT NULL,
                "UserId" TEXT NOT NULL,
                CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
                CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );
            """);
        b.Sql("""
            CREATE TABLE "AspNetUserTokens" (
                "UserId" TEXT NOT NULL,
                "LoginProvider" TEXT NOT NULL,
                "Name" TEXT NOT NULL,
                "Value" TEXT NULL,
                CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
                CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );
            """);
        b.Sql("""
            CREATE TABLE "api_keys" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_api_keys" PRIMARY KEY,
                "TeamId" TEXT NOT NULL,
                "Name" TEXT NOT NULL,
                "Role" INTEGER NOT NULL,
                "KeyId" TEXT NOT NULL,
                "SecretHash" BLOB NOT NULL,
                "CreatedBy" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "LastUsedAt" TEXT NULL,
                CONSTRAINT "FK_api_keys_teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "teams" ("Id") ON DELETE CASCADE
            );
            """);
        b.Sql("""
            CREATE TABLE "team_members" (
                "TeamId" TEXT NOT NULL,
                "UserId" TEXT NOT NULL,
                "Role" INTEGER NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                CONSTRAINT "PK_team_members" PRIMARY KEY ("TeamId", "UserId"),
                CONSTRAINT "FK_team_members_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_team_members_teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "teams" ("Id") ON DELETE CASCADE
            );
            """);
        b.Sql("""
            CREATE TABLE "vault_connections" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_vault_connections" PRIMARY KEY,
                "TeamId" TEXT NOT NULL,
                "Name" TEXT NOT NULL,
                "NameNormalized" TEXT NOT NULL,
                "Description" TEXT NULL,
                "VaultType" TEXT NOT NULL,
                "Project" TEXT NULL,
                "Config" TEXT NULL,
                "ProjectId" TEXT NULL,
                "Environment" TEXT NULL,
                "SecretPath" TEXT NULL,
                "Status" TEXT NOT NULL,
                "LastVerifiedAt" TEXT NULL,
                "LastVerificationError" TEXT NULL,
                "CreatedBy" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "UpdatedAt" TEXT NOT NULL,
                CONSTRAINT "FK_vault_connections_teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "teams" ("Id") ON DELETE CASCADE
            );
            """);
        b.Sql("""
            CREATE TABLE "secrets" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_secrets" PRIMARY KEY,
                "TeamId" TEXT NOT NULL,
                "Name" TEXT NOT NULL,
                "NameNormalized" TEXT NOT NULL,
                "Description" TEXT NULL,
                "SecretType" TEXT NOT NULL,
                "AuthMethod" TEXT NOT NULL,
                "VaultConnectionId" TEXT NULL,
                "CredentialFields" TEXT NOT NULL,
                "CreatedBy" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "UpdatedBy" TEXT NOT NULL,
                "UpdatedAt" TEXT NOT NULL,
                "field_mappings" TEXT NULL,
                CONSTRAINT "FK_secrets_teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "teams" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_secrets_vault_connections_VaultConnectionId" FOREIGN KEY ("VaultConnectionId") REFERENCES "vault_connections" ("Id") ON DELETE RESTRICT
            );
            """);
        b.Sql("""
            CREATE UNIQUE INDEX "IX_api_keys_KeyId" ON "api_keys" ("KeyId");
            """);
        b.Sql("""
            CREATE INDEX "IX_api_keys_TeamId" ON "api_keys" ("TeamId");
            """);
        b.Sql("""
            CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
            """);
        b.Sql("""
            CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
            """);
        b.Sql("""
            CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
            """);
        b.Sql("""
            CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
            """);
        b.Sql("""
            CREATE UNIQUE INDEX "IX_secrets_TeamId_NameNormalized" ON "secrets" ("TeamId", "NameNormalized");
            """);
        b.Sql("""
            CREATE INDEX "IX_secrets_VaultConnectionId" ON "secrets" ("VaultConnectionId");
            """);
        b.Sql("""
            CREATE INDEX "IX_team_members_UserId" ON "team_members" ("UserId");
            """);
        b.Sql("""
            CREATE UNIQUE INDEX "IX_vault_connections_TeamId_NameNormalized" ON "vault_connections" ("TeamId", "NameNormalized");
            """);
    }

    protected override void Down(MigrationBuilder b)
    {
        b.Sql("DROP TABLE IF EXISTS \"secrets\";");
        b.Sql("DROP TABLE IF EXISTS \"vault_connections\";");
        b.Sql("DROP TABLE IF EXISTS \"team_members\";");
        b.Sql("DROP TABLE IF EXISTS \"api_keys\";");
        b.Sql("DROP TABLE IF EXISTS \"AspNetUserTokens\";");
        b.Sql("DROP TABLE IF EXISTS \"AspNetUserLogins\";");
        b.Sql("DROP TABLE IF EXISTS \"AspNetUserClaims\";");
        b.Sql("DROP TABLE IF EXISTS \"teams\";");
        b.Sql("DROP TABLE IF EXISTS \"AspNetUsers\";");
    }
}
