using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Audit;

/// <summary>The audit table as the tests read it: straight from the database.</summary>
public static class AuditTable
{
    public static Task<List<AuditEvent>> OfTeamAsync(TestPortal portal, Guid teamId) =>
        portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.AsNoTracking().Where(e => e.TeamId == teamId).ToListAsync());

    public static Task<List<AuditEvent>> AllAsync(TestPortal portal) =>
        portal.WithAsync<PortalDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().ToListAsync());

    /// <summary>The events of the team that <paramref name="act"/> added.</summary>
    public static async Task<List<AuditEvent>> AddedByAsync(TestPortal portal, Guid teamId, Func<Task> act)
    {
        var before = (await OfTeamAsync(portal, teamId)).Select(e => e.Id).ToHashSet();
        await act();
        return (await OfTeamAsync(portal, teamId)).Where(e => !before.Contains(e.Id)).ToList();
    }

    /// <summary>The one event <paramref name="act"/> added.</summary>
    public static async Task<AuditEvent> OneAddedByAsync(TestPortal portal, Guid teamId, Func<Task> act) =>
        Assert.Single(await AddedByAsync(portal, teamId, act));

    public static JsonNode? Details(this AuditEvent e) => e.Details is null ? null : JsonNode.Parse(e.Details);

    public static string? Code(this AuditEvent e) => (string?)e.Details()?["code"];

    public static void AssertIs(this AuditEvent e, string action, string outcome, string targetType, Guid? targetId = null)
    {
        Assert.Equal(action, e.Action);
        Assert.Equal(outcome, e.Outcome);
        Assert.Equal(targetType, e.TargetType);
        if (targetId is not null)
        {
            Assert.Equal(targetId, e.TargetId);
        }
    }

    /// <summary>An API client with <paramref name="apiKey"/> coming from <paramref name="from"/> (the in-memory server sets no address of its own).</summary>
    public static HttpClient ApiClient(TestPortal portal, string apiKey, IPAddress from)
    {
        var client = new HttpClient(portal.App.GetTestServer().CreateHandler(c => c.Connection.RemoteIpAddress = from))
        {
            BaseAddress = new Uri("http://localhost/"),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
