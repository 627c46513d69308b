using System.Net;
using Dataraven.Core.Notifications;
using Dataraven.Core.Notifications.Webhooks;

namespace Dataraven.Tests.Unit.Notifications;

public sealed class WebhookRulesTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("fc00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("1.1.1.1", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void Addresses_PublicOnly(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://hooks.example.com/x", false, true)]
    [InlineData("http://hooks.example.com/x", false, false)]
    [InlineData("http://127.0.0.1:8080/x", true, true)]
    [InlineData("ftp://hooks.example.com/x", true, false)]
    [InlineData("/relative", true, false)]
    [InlineData("https://u:p@hooks.example.com/x", false, false)]
    public void Url_HttpsOnly_HttpWithTheFlag(string url, bool allowPrivate, bool valid)
    {
        var errors = WebhookRules.Validate(new CreateWebhookRequest { Url = url, Events = ["*"] }, allowPrivate);
        Assert.Equal(valid, !errors.ContainsKey("url"));
    }

    [Fact]
    public void Events_KnownNamesOrStar()
    {
        Assert.Empty(WebhookRules.Validate(new CreateWebhookRequest { Url = "https://a.example/x", Events = [.. NotificationEventTypes.Known] }, false));
        Assert.Contains("events", WebhookRules.Validate(new CreateWebhookRequest { Url = "https://a.example/x", Events = ["secret.created"] }, false).Keys);
        Assert.Contains("events", WebhookRules.Validate(new CreateWebhookRequest { Url = "https://a.example/x", Events = [] }, false).Keys);
    }

    [Fact]
    public void Backoff_5s_30s_2m_10m_1h_ThenFailed()
    {
        var delivery = new WebhookDelivery { Id = Guid.NewGuid(), Event = "webhook.test", Body = "{}" };
        var now = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            WebhookDispatcher.Record(delivery, new WebhookAttempt(false, true, 503, "HTTP 503"), now);
            if (delivery.Status == WebhookDeliveryStatus.Pending)
            {
                waits.Add(delivery.NextAttemptAt - now);
            }
        }
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)], waits);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(6, delivery.Attempt);

        var notRetried = new WebhookDelivery { Id = Guid.NewGuid(), Event = "webhook.test", Body = "{}" };
        WebhookDispatcher.Record(notRetried, new WebhookAttempt(false, false, 404, "HTTP 404"), now);
        Assert.Equal(WebhookDeliveryStatus.Failed, notRetried.Status);
    }

    [Theory]
    [InlineData(45, null)]
    [InlineData(30, "expiring:30")]
    [InlineData(8, "expiring:30")]
    [InlineData(7, "expiring:7")]
    [InlineData(1.5, "expiring:7")]
    [InlineData(1, "expiring:1")]
    [InlineData(0.01, "expiring:1")]
    [InlineData(0, "expired")]
    [InlineData(-3, "expired")]
    public void ExpiryNotice_ByDaysLeft(double daysLeft, string? kind)
    {
        var now = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(kind, ExpiryNotices.KindAt(now.AddDays(daysLeft), now));
    }

    [Fact]
    public void Signature_IsStandardWebhooksV1()
    {
        // The Standard Webhooks specification's example.
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var signature = WebhookSignature.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }
}
