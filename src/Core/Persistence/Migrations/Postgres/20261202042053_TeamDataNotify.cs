using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dataraven.Core.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Every change of a team's data version (any instance, any command) notifies the channel the portal instances
    /// listen on (TeamDataSignals), with the team's id as the payload. NOTIFY inside a transaction is sent at commit,
    /// and not at all on rollback, so a listener never hears of a version that did not happen.
    /// </summary>
    public partial class TeamDataNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION dataraven_notify_team_data() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('dataraven_team_data', NEW."Id"::text);
                    RETURN NULL;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER teams_data_version_notify
                    AFTER UPDATE OF "DataVersion" ON teams
                    FOR EACH ROW WHEN (OLD."DataVersion" IS DISTINCT FROM NEW."DataVersion")
                    EXECUTE FUNCTION dataraven_notify_team_data();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS teams_data_version_notify ON teams;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS dataraven_notify_team_data();");
        }
    }
}
