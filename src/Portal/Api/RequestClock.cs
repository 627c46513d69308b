using Dataraven.Core.Common;

namespace Dataraven.Portal.Api;

/// <summary>The portal's clock for a request (the registered <see cref="TimeProvider"/>, a fake one in tests).</summary>
public static class RequestClock
{
    public static DateTime Now(this HttpContext http) => Clock.UtcNow(http.RequestServices.GetRequiredService<TimeProvider>());
}
