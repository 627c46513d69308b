namespace Dataraven.Tests.Fakes;

/// <summary>What <see cref="FakeOpCli"/> does on its next runs.</summary>
public enum FakeOpMode
{
    /// <summary>Accept <see cref="FakeOpCli.AcceptedToken"/> (print a JSON vault list, exit 0); reject any other token.</summary>
    Ok,

    /// <summary>Always print an authentication error to stderr and exit 1.</summary>
    Reject,

    /// <summary>Print a network error to stderr and exit 1.</summary>
    NetworkError,

    /// <summary>Sleep for a long time (the caller's timeout must kill it).</summary>
    Hang,
}

/// <summary>
/// A fake <c>op</c> CLI: an executable bash script in a temp folder (<see cref="CliPath"/>). Each run records its
/// argv (one argument per line, <see cref="ReadArgv"/>) and whether <c>OP_SERVICE_ACCOUNT_TOKEN</c> was set
/// (<see cref="TokenWasSetInEnvironment"/>), then behaves as <see cref="Mode"/> says. Unix only.
/// </summary>
public sealed class FakeOpCli : IDisposable
{
    public const string DefaultAcceptedToken = "ops_fakeAcceptedServiceAccountToken";

    private FakeOpCli(string directory)
    {
        Directory = directory;
        CliPath = Path.Combine(directory, "op");
    }

    /// <summary>The folder holding the script and its record files.</summary>
    public string Directory { get; }

    /// <summary>Pass this as <c>Vaults:OnePassword:CliPath</c>.</summary>
    public string CliPath { get; }

    private string ArgvFile => Path.Combine(Directory, "argv.txt");
    private string TokenSetFile => Path.Combine(Directory, "token_set.txt");
    private string RunsFile => Path.Combine(Directory, "runs.txt");
    private string ModeFile => Path.Combine(Directory, "mode.txt");
    private string TokenFile => Path.Combine(Directory, "accepted_token.txt");
    private string PidFile => Path.Combine(Directory, "pid.txt");

    public static FakeOpCli Create(string acceptedToken = DefaultAcceptedToken, FakeOpMode mode = FakeOpMode.Ok)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fake-op-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var cli = new FakeOpCli(directory) { AcceptedToken = acceptedToken, Mode = mode };
        File.WriteAllText(cli.CliPath, Script.Replace("__DIR__", directory, StringComparison.Ordinal).ReplaceLineEndings("\n"));
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("FakeOpCli is a bash script: Unix only.");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cli.CliPath,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return cli;
    }

    /// <summary>The token the script accepts in <see cref="FakeOpMode.Ok"/> mode.</summary>
    public string AcceptedToken
    {
        get => File.ReadAllText(TokenFile);
        set => File.WriteAllText(TokenFile, value);
    }

    public FakeOpMode Mode
    {
        get => Enum.Parse<FakeOpMode>(File.ReadAllText(ModeFile).Trim(), ignoreCase: true);
        set => File.WriteAllText(ModeFile, value.ToString().ToLowerInvariant());
    }

    /// <summary>
    /// How the authentication error repeats the presented token (a badly behaved CLI; for sanitizer tests). The script
    /// applies the same forms as <see cref="CredentialEchoes.Apply"/>, in bash.
    /// </summary>
    public CredentialEcho EchoToken
    {
        get => File.Exists(EchoFile) ? Enum.Parse<CredentialEcho>(File.ReadAllText(EchoFile).Trim(), ignoreCase: true) : CredentialEcho.None;
        set
        {
            if (value == CredentialEcho.None) File.Delete(EchoFile);
            else File.WriteAllText(EchoFile, value.ToString().ToLowerInvariant());
        }
    }

    private string EchoFile => Path.Combine(Directory, "echo");

    /// <summary>The arguments of the last run, one per line as recorded; empty if it never ran.</summary>
    public IReadOnlyList<string> ReadArgv() =>
        File.Exists(ArgvFile) ? File.ReadAllLines(ArgvFile) : [];

    /// <summary>Whether <c>OP_SERVICE_ACCOUNT_TOKEN</c> was set (non-empty) in the last run's environment.</summary>
    public bool TokenWasSetInEnvironment => File.Exists(TokenSetFile) && File.ReadAllText(TokenSetFile).Trim() == "set";

    /// <summary>Names of OP_* environment variables other than OP_SERVICE_ACCOUNT_TOKEN that the last run saw.</summary>
    public IReadOnlyList<string> OtherOpVariables =>
        File.Exists(Path.Combine(Directory, "other_op_vars.txt"))
            ? File.ReadAllLines(Path.Combine(Directory, "other_op_vars.txt")).Where(l => l.Length > 0).ToArray()
            : [];

    /// <summary>How many times the script ran.</summary>
    public int Runs => File.Exists(RunsFile) ? File.ReadAllLines(RunsFile).Length : 0;

    /// <summary>What <c>op read &lt;reference&gt;</c> prints (as <c>--no-newline</c> would); other references are "isn't an item".</summary>
    public FakeOpCli SetReference(string reference, string value)
    {
        var refs = Path.Combine(Directory, "refs");
        System.IO.Directory.CreateDirectory(refs);
        File.WriteAllText(Path.Combine(refs, Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(reference))), value);
        return this;
    }

    private readonly List<FakeOpVault> _vaults = [];

    /// <summary>Every run's arguments joined by spaces, in order (one line per run).</summary>
    public IReadOnlyList<string> CommandLog => File.Exists(Path.Combine(Directory, "commands.txt")) ? File.ReadAllLines(Path.Combine(Directory, "commands.txt")) : [];

    /// <summary>
    /// A vault the token can reach, as 1Password's CLI prints it: <c>op vault get &lt;name|id&gt;</c>, <c>op vault list</c> (every
    /// added vault), <c>op item list --vault &lt;name|id&gt;</c> and <c>op item get &lt;title&gt; --vault &lt;name|id&gt;</c>, whose
    /// fields carry their <c>value</c> (plant canaries there). A vault not added is "isn't a vault in this account".
    /// </summary>
    public FakeOpCli AddVault(FakeOpVault vault)
    {
        _vaults.Add(vault);
        var cmds = Path.Combine(Directory, "cmds");
        System.IO.Directory.CreateDirectory(cmds);
        void Answer(string command, object json) =>
            File.WriteAllText(Path.Combine(cmds, Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(command))),
                System.Text.Json.JsonSerializer.Serialize(json) + "\n");
        const string at = "2025-01-01T00:00:00Z";
        object VaultJson(FakeOpVault v) => new Dictionary<string, object?>
        {
            ["id"] = v.Id, ["name"] = v.Name, ["content_version"] = 7, ["attribute_version"] = 1, ["items"] = v.Items.Count,
            ["type"] = "USER_CREATED", ["created_at"] = at, ["updated_at"] = at,
        };
        Answer("vault list --format json", _vaults.Select(v => new Dictionary<string, object?>
        {
            ["id"] = v.Id, ["name"] = v.Name, ["content_version"] = 7, ["created_at"] = at, ["updated_at"] = at, ["items"] = v.Items.Count,
        }).ToList());
        foreach (var key in new[] { vault.Name, vault.Id })
        {
            Answer($"vault get {key} --format json", VaultJson(vault));
            Answer($"item list --vault {key} --format json", vault.Items.Select(i => new Dictionary<string, object?>
            {
                ["id"] = i.Id, ["title"] = i.Title, ["version"] = 2, ["vault"] = new { id = vault.Id, name = vault.Name },
                ["category"] = "API_CREDENTIAL", ["last_edited_by"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", ["created_at"] = at, ["updated_at"] = at,
                ["additional_information"] = i.Fields.FirstOrDefault()?.Label ?? "",
            }).ToList());
            foreach (var item in vault.Items)
            {
                var sections = item.Fields.Where(f => f.Section is not null).Select(f => f.Section!).Distinct()
                    .Select(label => new { id = "sec" + label.GetHashCode(StringComparison.Ordinal).ToString("x", System.Globalization.CultureInfo.InvariantCulture), label }).ToList();
                Answer($"item get {item.Title} --vault {key} --format json", new Dictionary<string, object?>
                {
                    ["id"] = item.Id, ["title"] = item.Title, ["version"] = 2, ["vault"] = new { id = vault.Id, name = vault.Name },
                    ["category"] = "API_CREDENTIAL", ["last_edited_by"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", ["created_at"] = at, ["updated_at"] = at,
                    ["sections"] = sections,
                    ["fields"] = item.Fields.Select(f => new Dictionary<string, object?>
                    {
                        ["id"] = f.Label.ToLowerInvariant().Replace(' ', '_'),
                        ["section"] = f.Section is null ? null : sections.First(s => s.label == f.Section),
                        ["type"] = "CONCEALED",
                        ["label"] = f.Label,
                        ["value"] = f.Value,
                        ["reference"] = $"op://{vault.Name}/{item.Title}/{(f.Section is null ? "" : f.Section + "/")}{f.Label}",
                        ["password_details"] = new { strength = "FANTASTIC" },
                    }).ToList(),
                });
                foreach (var f in item.Fields)
                {
                    SetReference($"op://{key}/{item.Title}/{(f.Section is null ? "" : f.Section + "/")}{f.Label}", f.Value);
                }
            }
        }
        return this;
    }

    /// <summary>The pid of the last run's script process (e.g. to check that a hung run was killed).</summary>
    public int? LastPid => File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) ? pid : null;

    private const string Script = """
        #!/usr/bin/env bash
        DIR="__DIR__"
        printf '%s\n' "$@" > "$DIR/argv.txt"
        echo "$$" > "$DIR/pid.txt"
        echo run >> "$DIR/runs.txt"
        printf '%s\n' "$*" >> "$DIR/commands.txt"
        if [ -n "${OP_SERVICE_ACCOUNT_TOKEN:-}" ]; then echo set > "$DIR/token_set.txt"; else echo unset > "$DIR/token_set.txt"; fi
        compgen -e | grep '^OP_' | grep -v '^OP_SERVICE_ACCOUNT_TOKEN$' > "$DIR/other_op_vars.txt"
        MODE="$(cat "$DIR/mode.txt")"
        ACCEPTED="$(cat "$DIR/accepted_token.txt")"
        NOW="$(date -u '+%Y/%m/%d %H:%M:%S')"
        echoed() {
          T="${OP_SERVICE_ACCOUNT_TOKEN:-}"
          case "$(cat "$DIR/echo")" in
            verbatim) printf '%s' "$T" ;;
            uppercase) printf '%s' "${T^^}" ;;
            withoutprefix) printf '%s' "${T#ops_}" ;;
            truncated) printf '%s' "${T:0:$(( ${#T} * 2 / 3 ))}" ;;
            embedded) printf 'auth%sed' "$T" ;;
          esac
        }
        reject() {
          if [ -f "$DIR/echo" ]; then
            echo "[ERROR] $NOW authentication failed: invalid service account token '$(echoed)': unauthorized" >&2
          else
            echo "[ERROR] $NOW failed to sign in: authentication failed: invalid service account token: unauthorized" >&2
          fi
          exit 1
        }
        case "$MODE" in
          hang)
            sleep 60
            exit 0
            ;;
          reject)
            reject
            ;;
          networkerror)
            echo "[ERROR] $NOW could not list vaults: Get \"https://my.1password.com/api/v2/vaults\": dial tcp: lookup my.1password.com: no such host" >&2
            exit 1
            ;;
        esac
        if [ "${OP_SERVICE_ACCOUNT_TOKEN:-}" != "$ACCEPTED" ]; then reject; fi
        if [ "$1" = "read" ]; then
          REF="${@: -1}"
          FILE="$DIR/refs/$(printf '%s' "$REF" | od -An -tx1 | tr -d ' \n')"
          if [ -f "$FILE" ]; then cat "$FILE"; exit 0; fi
          echo "[ERROR] $NOW could not read secret '$REF': could not get item: \"$REF\" isn't an item in the vault. Specify the item with its UUID, name, or domain." >&2
          exit 1
        fi
        CMD="$DIR/cmds/$(printf '%s' "$*" | od -An -tx1 | tr -d ' \n')"
        if [ -f "$CMD" ]; then cat "$CMD"; exit 0; fi
        if [ "$1 $2" = "vault get" ] || [ "$1 $2" = "item list" ]; then
          if [ "$1" = "vault" ]; then V="$3"; else V="$4"; fi
          echo "[ERROR] $NOW \"$V\" isn't a vault in this account. Specify the vault with its ID or name." >&2
          exit 1
        fi
        if [ "$1 $2" = "item get" ]; then
          echo "[ERROR] $NOW \"$3\" isn't an item in the \"$5\" vault. Specify the item with its UUID, name, or domain." >&2
          exit 1
        fi
        if [ "$1 $2" != "vault list" ]; then echo "[ERROR] $NOW unknown command \"$*\"" >&2; exit 1; fi
        cat <<'JSON'
        [{"id":"abcdefghijklmnopqrstuvwxyz","name":"Engineering","content_version":12,"created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-02T00:00:00Z","items":3},{"id":"zyxwvutsrqponmlkjihgfedcba","name":"Shared","content_version":4,"created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-02T00:00:00Z","items":1}]
        JSON
        exit 0
        """;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A vault for <see cref="FakeOpCli.AddVault"/>.</summary>
public sealed record FakeOpVault(string Name, string Id, IReadOnlyList<FakeOpItem> Items);

public sealed record FakeOpItem(string Title, string Id, IReadOnlyList<FakeOpField> Fields);

/// <summary>A field of an item; <paramref name="Value"/> is what must never leave the portal.</summary>
public sealed record FakeOpField(string Label, string Value, string? Section = null);
