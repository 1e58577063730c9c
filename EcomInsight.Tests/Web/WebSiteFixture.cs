using System.Globalization;
using System.Net;
using System.Text;
using EcomInsight.Domain.Catalog;
using EcomInsight.Domain.Import;
using EcomInsight.Domain.Security;
using EcomInsight.Tests.Integration;
using EcomInsight.Tests.Web.Security;
using EcomInsight.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EcomInsight.Tests.Web;

/// <summary>
/// The web app on a TestServer over its own freshly migrated database (a <see cref="PostgresFixture"/> of its
/// own, so the totals the pages show are exactly the seeded ones), seeded by the real importer with a small
/// generated Online Retail file (<see cref="Csv"/>). Shared by the web page tests; dropped at the end.
/// </summary>
public sealed class WebSiteFixture : IAsyncLifetime
{
    /// <summary>Filler products (91001..91027): with the three named ones, 30 SKUs, two list pages.</summary>
    public const int Fillers = 27;

    private readonly PostgresFixture _database = new();
    private WebApplication? _app;

    /// <summary>Client of the test server, signed in as a Viewer (<see cref="TestSignIn"/>).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>What the importer reported for the seed file.</summary>
    public ImportResult Import { get; private set; } = null!;

    /// <summary>The running app (for <see cref="TestSignIn"/> clients with other roles).</summary>
    public WebApplication App => _app!;

    /// <summary>The seeded database.</summary>
    public NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>
    /// The seed file. Winter dates, so Europe/London = UTC. 90001A (lantern): sold 10 + 6 + 1000, 2 returned,
    /// net revenue 25 + 15 + 1000 - 5 = 1035.00; 90002 (bag): 4 x 1.25 = 5.00; 90003 (widget): 3 x 0.60 = 1.80,
    /// its line repeated once (a duplicate); 910nn: 1 unit at 0.nn (3.78 in all). Three bad lines: two
    /// unparseable quantities and an unparseable date. Totals: 30 SKUs, 4 orders, 1045.58 revenue, 1048 net units.
    /// </summary>
    public static string Csv()
    {
        var csv = new StringBuilder(OnlineRetailParser.Header + "\n");
        csv.Append("""
            100001,90001A,RED METAL LANTERN,10,2011-01-03 10:00:00,2.50,12345.0,United Kingdom
            100001,90002,JUMBO BAG BLUE,4,2011-01-03 10:00:00,1.25,12345.0,United Kingdom
            100002,90001A,RED METAL LANTERN,6,2011-01-04 11:00:00,2.50,12346.0,France
            C100003,90001A,RED METAL LANTERN,-2,2011-01-11 09:00:00,2.50,12345.0,United Kingdom
            100004,90001A,RED METAL LANTERN,1000,2011-01-12 12:00:00,1.00,,United Kingdom
            100004,90003,PLAIN WIDGET,3,2011-01-12 12:00:00,0.60,,United Kingdom
            100004,90003,PLAIN WIDGET,3,2011-01-12 12:00:00,0.60,,United Kingdom
            100005,90002,JUMBO BAG BLUE,xx,2011-01-12 12:00:00,1.25,,United Kingdom
            100006,90002,JUMBO BAG BLUE,yy,2011-01-12 12:00:00,1.25,,United Kingdom
            100007,90002,JUMBO BAG BLUE,1,2011-13-12 12:00:00,1.25,,United Kingdom

            """);
        for (var i = 1; i <= Fillers; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"100008,910{i:00},PLAIN WIDGET NO {i},1,2011-01-05 10:00:00,0.{i:00},,United Kingdom\n");
        }
        return csv.ToString().ReplaceLineEndings("\n");
    }

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var path = Path.Combine(Path.GetTempPath(), $"ecominsight-web-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(path, Csv());
            var rules = CategoryRules.Parse(["Candles and lights: LANTERN*", "Bags: BAG"]);
            Import = new SalesImporter(DataSource).Import(path, new OnlineRetailParser("seed.csv"), rules);
        }
        finally
        {
            File.Delete(path);
        }
        if (Import.Status != "succeeded" || Import.Rejected != 3)
        {
            throw new InvalidOperationException($"Seed import {Import.Status}, {Import.Rejected} rejected: {Import.Error} " +
                string.Join("; ", Import.RejectsByReason.Select(r => $"{r.Key} x{r.Value}")));
        }

        _app = WebApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:EcomInsight"] = _database.ConnectionString,
                ["Database:UseLocalCluster"] = "false",
                ["Scheduler:Enabled"] = "false",
            });
        });
        await _app.StartAsync();
        Client = await _app.SignedInClientAsync(AppRoles.Viewer);
    }

    /// <summary>GETs <paramref name="url"/> and returns the status and the HTML with entities decoded (£, –).</summary>
    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string url)
    {
        using var response = await Client.GetAsync(new Uri(url, UriKind.Relative));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The id of the category at <paramref name="path"/>.</summary>
    public async Task<int> CategoryIdAsync(string path)
    {
        await using var command = DataSource.CreateCommand("SELECT category_id FROM category WHERE path = @path");
        command.Parameters.AddWithValue("path", path);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await _database.DisposeAsync();
    }
}
