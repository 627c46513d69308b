using Dataraven.Core.Checks;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// The outcome of reading one vault reference: the value (in memory only, for a check) or why there is none.
/// A class, not a record, so that nothing prints the value: <see cref="ToString"/> shows the status only.
/// </summary>
public sealed class ReferenceRead
{
    private ReferenceRead(CheckStatus status, string? value, string? message)
    {
        Status = status;
        Value = value;
        Message = message;
    }

    /// <summary><see cref="CheckStatus.Ok"/>, <see cref="CheckStatus.Missing"/>, <see cref="CheckStatus.Rejected"/>,
    /// <see cref="CheckStatus.RateLimited"/> or <see cref="CheckStatus.Unreachable"/>.</summary>
    public CheckStatus Status { get; }

    /// <summary>The resolved value when <see cref="Status"/> is ok; never logged, returned or stored.</summary>
    public string? Value { get; }

    /// <summary>Sanitized: never contains a credential or a resolved value.</summary>
    public string? Message { get; }

    public static ReferenceRead Found(string value) => new(CheckStatus.Ok, value, null);

    public static ReferenceRead Failed(CheckStatus status, string message) =>
        status == CheckStatus.Ok ? throw new ArgumentException("A failed read needs a failure status.", nameof(status)) : new(status, null, message);

    /// <summary>The same failure for every reference (e.g. the connection's login was refused).</summary>
    public static IReadOnlyList<ReferenceRead> FailAll(IReadOnlyList<string> references, CheckStatus status, string message) =>
        references.Select(_ => Failed(status, message)).ToArray();

    public override string ToString() => $"ReferenceRead({Status.ToWire()})";
}
