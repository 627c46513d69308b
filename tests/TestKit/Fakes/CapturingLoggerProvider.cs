using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Fakes;

/// <summary>Records every formatted log line (level, category, message, exception) for assertions such as credential canaries.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Clear() => _lines.Clear();

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                // Structured values too: a credential passed as a log argument must be caught even if the template omits it.
                line += " | " + string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value}"));
            }
            if (exception is not null) line += " | " + exception;
            provider._lines.Enqueue(line);
        }
    }
}
