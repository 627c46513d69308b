namespace Dataraven.Portal.Hosting;

/// <summary>
/// The browser's address for this scope's audit events. A circuit has no HttpContext of its own, so the address of
/// the request that rendered the page is handed to the circuit as a parameter of <c>Routes</c>, which stores it here.
/// </summary>
public sealed class ClientAddress
{
    public string? Ip { get; set; }

    public static string? Of(HttpContext http) => http.Connection.RemoteIpAddress is { } ip
        ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
        : null;
}
