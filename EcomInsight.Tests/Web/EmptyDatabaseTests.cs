using System.Net;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using EcomInsight.Tests.Web.Security;
using EcomInsight.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace EcomInsight.Tests.Web;

/// <summary>Before the first import (a fresh clone, a new tenant) every page renders and says what to do.</summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class EmptyDatabaseTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EveryPageRendersOnAnEmptyDatabase()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync(); // migrated by the app's start-up check
        await using var app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = connectionString,
                ["Scheduler:Enabled"] = "false",
            });
        });
        await app.StartAsync();
        using var client = await app.SignedInClientAsync(AppRoles.Viewer);

        var pages = new Dictionary<string, string>
        {
            ["/"] = "No sales yet",
            ["/categories"] = "No categorised products yet",
            ["/products"] = "No products yet",
            ["/imports"] = "No file imported yet",
        };
        foreach (var (url, message) in pages)
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Contains("data-stat=\"revenue\">&#xA3;0<", await client.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
    }
}
