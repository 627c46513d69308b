using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>Keeps every formatted log line (with level and exception text) so tests can check what was logged.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Entries { get; } = new();

    public IEnumerable<string> Lines => Entries.Select(e => e.Text);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
    }
}
