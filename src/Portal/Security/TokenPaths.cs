using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dataraven.Portal.Security;

/// <summary>
/// Keeps link tokens out of every log line: the paths of a credential request's link (<c>/v1/credential-requests/{token}</c>,
/// <c>/requests/{token}</c>) are logged with the token replaced, whoever logs them (the host's "Request starting" line,
/// routing, static files, exceptions) and at whatever level logging is configured. A wrapper of the logger factory,
/// so it holds for every provider, including ones added later.
/// </summary>
public static partial class TokenPaths
{
    public const string Redacted = "[redacted]";

    // Any "requests/<segment>": the path, and the route values routing logs without the leading slash. Route templates
    // ("{token}") stay readable; a team's own request ids are redacted too, which costs nothing.
    [GeneratedRegex(@"(requests/)(?!\{)[^/?#\s'""]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPath();

    // A password reset link's token travels in its query (/account/reset-password?user=...&token=...).
    [GeneratedRegex(@"([?&]token=)[^&#\s'""]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenQuery();

    private static bool Mentions(string? text) =>
        text is not null && (text.Contains("requests/", StringComparison.OrdinalIgnoreCase) || text.Contains("token=", StringComparison.OrdinalIgnoreCase));

    public static string Redact(string text) =>
        Mentions(text) ? TokenQuery().Replace(TokenPath().Replace(text, "$1" + Redacted), "$1" + Redacted) : text;

    public static IServiceCollection AddTokenPathRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(sp))));
        return services;
    }

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            var values = state as IEnumerable<KeyValuePair<string, object?>>;
            var mentionsPath = Mentions(message) || (values?.Any(kv => Mentions(kv.Value?.ToString())) ?? false);
            if (!mentionsPath)
            {
                // The message is formatted once: the providers get the text already made.
                inner.Log(logLevel, eventId, state, exception, (_, _) => message);
                return;
            }
            var redacted = new RedactedState(Redact(message),
                values?.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value is null ? null : Redact(kv.Value.ToString() ?? ""))).ToList() ?? []);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    private sealed record RedactedState(string Message, IReadOnlyList<KeyValuePair<string, object?>> Values)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => Values[index];

        public int Count => Values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
