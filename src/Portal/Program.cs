using Dataraven.Portal.Commands;
using Dataraven.Portal.Hosting;

if (PortalCommands.IsCommand(args))
{
    return await PortalCommands.RunAsync(args);
}

await PortalApp.Build(args).RunAsync();
return 0;

public partial class Program;
