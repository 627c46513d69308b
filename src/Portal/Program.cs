using Dataraven.Portal.Commands;
using Dataraven.Portal.Hosting;

if (PortalCommands.IsCommand(args))
{
    return await PortalCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(PortalHost.Options(args));
builder.AddPortal();

var app = builder.Build();
app.UsePortal();
app.MapPortalApi();
app.MapPortalPages();
await app.RunAsync();
return 0;

public partial class Program;
