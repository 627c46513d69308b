using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Dataraven.Portal.Security;

/// <summary>
/// Behind a TLS-terminating proxy: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the
/// proxies in <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), so
/// the request counts as HTTPS (Secure cookies, HSTS) and the per-address limits see the client, not the proxy.
/// With neither configured, nobody is trusted, loopback included.
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in Values(configuration, "ForwardedHeaders:KnownProxies"))
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in Values(configuration, "ForwardedHeaders:KnownNetworks"))
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

    /// <summary>A list in configuration: an array (<c>KnownProxies:0</c>, ...) or one comma-separated value (handy in an environment variable).</summary>
    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).ToList();
        values.Add(section.Value);
        return values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
