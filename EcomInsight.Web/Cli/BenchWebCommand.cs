using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>bench-web</c> verb: response times of the three busiest pages (dashboard <c>/</c>, product list
/// <c>/products</c>, SKU detail <c>/products/{sku}</c>) on the database's data, first sequentially (warm, one
/// request at a time: p50/p95/max of the time to the last byte on loopback, which is the server's time plus
/// well under a millisecond), then under concurrent load from a second process, Debian's <c>wrk</c> (HTTP/1.1
/// keep-alive, <c>--connections</c> connections, <c>--threads</c> threads), printing requests/s and the
/// p50/p95/p99 latency per page.
/// </summary>
/// <remarks>
/// Without <c>--url</c> the app is started in this process on a free loopback port over the configured database
/// (scheduler off, request logging off so that console output does not cost time). With <c>--url</c> it measures a
/// running server. When the site asks for a sign-in, <c>--email</c>/<c>--password</c> sign in through the login
/// form and the resulting cookie is passed to wrk with <c>-H "Cookie: …"</c>. Exit codes: 0 done, 1 a page did
/// not answer 200 or wrk failed, 2 bad arguments.
/// </remarks>
public static partial class BenchWebCommand
{
    /// <summary>Creates the <c>bench-web</c> command.</summary>
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "Measure a running server at this base URL instead of starting the app in-process." };
        var email = new Option<string?>("--email") { Description = "Sign in as this user (needed once the pages require a sign-in)." };
        var password = new Option<string?>("--password") { Description = "Password of --email; '-' reads it from standard input." };
        var sku = new Option<string?>("--sku") { Description = "SKU for the detail page (default: the first row of /products)." };
        var requests = new Option<int>("--requests") { Description = "Measured sequential requests per page.", DefaultValueFactory = _ => 100 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured requests per page first.", DefaultValueFactory = _ => 10 };
        var connections = new Option<int>("--connections") { Description = "wrk connections (concurrent users).", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "wrk threads.", DefaultValueFactory = _ => 2 };
        var duration = new Option<int>("--duration") { Description = "wrk seconds per page (0 skips the load test).", DefaultValueFactory = _ => 15 };
        var wrk = new Option<string>("--wrk") { Description = "wrk executable.", DefaultValueFactory = _ => "wrk" };
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("bench-web", "p50/p95 of dashboard, products and SKU detail, sequential and under wrk load (20 connections).")
        {
            url, email, password, sku, requests, warmup, connections, threads, duration, wrk, connection,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Settings(parse.GetValue(email), ReadPassword(parse.GetValue(password)), parse.GetValue(sku),
                parse.GetValue(requests), parse.GetValue(warmup), parse.GetValue(connections), parse.GetValue(threads),
                parse.GetValue(duration), parse.GetValue(wrk)!);
            if (settings.Requests < 1 || settings.Warmup < 0 || settings.Connections < 1 || settings.Threads < 1 ||
                settings.Threads > settings.Connections || settings.Duration < 0)
            {
                await Console.Error.WriteLineAsync("bench-web: --requests >= 1, --warmup >= 0, 1 <= --threads <= --connections, --duration >= 0.").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(url) is { } text)
            {
                // System.CommandLine 2.0 has no Uri parser of its own.
                if (!Uri.TryCreate(text, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
                {
                    await Console.Error.WriteLineAsync($"bench-web: --url must be an absolute http(s) address, not '{text}'.").ConfigureAwait(false);
                    return 2;
                }
                return await RunAsync(target, settings, cancellationToken).ConfigureAwait(false);
            }
            var port = FreePort();
            var address = new Uri($"http://127.0.0.1:{port}/");
            var configuration = new Dictionary<string, string?>
            {
                ["Scheduler:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"] = "Warning",
            };
            if (parse.GetValue(connection) is { Length: > 0 } connectionString)
            {
                configuration["ConnectionStrings:EcomInsight"] = connectionString;
            }
            await using var app = WebApp.Build(["--urls", address.ToString().TrimEnd('/')],
                builder => builder.Configuration.AddInMemoryCollection(configuration));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await RunAsync(address, settings, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        });
        return command;
    }

    private sealed record Settings(string? Email, string? Password, string? Sku, int Requests, int Warmup, int Connections,
        int Threads, int Duration, string Wrk);

    private static async Task<int> RunAsync(Uri baseUrl, Settings settings, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        using var client = new SiteClient(baseUrl);
        if (!await client.SignInIfAskedAsync(settings.Email, settings.Password, cancellationToken).ConfigureAwait(false))
        {
            return 1;
        }
        var (listStatus, list) = await client.GetAsync("/products", cancellationToken).ConfigureAwait(false);
        var sku = settings.Sku ?? (SkuAttribute().Match(list) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null);
        if (listStatus != HttpStatusCode.OK || sku is null)
        {
            await Console.Error.WriteLineAsync($"bench-web: /products answered {(int)listStatus} without a product row; import data first or pass --sku.").ConfigureAwait(false);
            return 1;
        }
        (string Name, string Path)[] pages =
            [("dashboard", "/"), ("products", "/products"), ("sku detail", "/products/" + Uri.EscapeDataString(sku))];

        Console.WriteLine(string.Create(c, $"bench-web {baseUrl} ({Environment.ProcessorCount} cores; SKU {sku}; signed in: {(client.Cookie.Length > 0 ? settings.Email : "no")})"));
        Console.WriteLine(string.Create(c, $"sequential, warm ({settings.Warmup} unmeasured + {settings.Requests} measured requests per page; ms to last byte)"));
        Console.WriteLine(string.Create(c, $"  {"page",-12} {"p50",8} {"p95",8} {"max",8} {"mean",8} {"KiB",7}"));
        foreach (var (name, path) in pages)
        {
            var times = new double[settings.Requests];
            var bytes = 0;
            for (var i = -settings.Warmup; i < settings.Requests; i++)
            {
                var watch = Stopwatch.StartNew();
                var (status, html) = await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
                var elapsed = watch.Elapsed.TotalMilliseconds;
                if (status != HttpStatusCode.OK)
                {
                    await Console.Error.WriteLineAsync($"bench-web: {path} answered {(int)status}.").ConfigureAwait(false);
                    return 1;
                }
                if (i >= 0)
                {
                    times[i] = elapsed;
                    bytes = html.Length;
                }
            }
            Array.Sort(times);
            Console.WriteLine(string.Create(c,
                $"  {name,-12} {Percentile(times, 50),8:F1} {Percentile(times, 95),8:F1} {times[^1],8:F1} {times.Average(),8:F1} {bytes / 1024.0,7:F0}"));
        }

        if (settings.Duration == 0)
        {
            return 0;
        }
        Console.WriteLine(string.Create(c,
            $"concurrent: wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Duration}s per page (a second process, keep-alive, loopback; ms)"));
        Console.WriteLine(string.Create(c, $"  {"page",-12} {"req/s",8} {"p50",8} {"p95",8} {"p99",8} {"max",8} {"requests",9} {"non-2xx",8} {"errors",7}"));
        var script = Path.Combine(Path.GetTempPath(), $"bench-web-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, WrkScript, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (name, path) in pages)
            {
                var result = await RunWrkAsync(settings, script, new Uri(baseUrl, path), client.Cookie, cancellationToken).ConfigureAwait(false);
                if (result is null)
                {
                    return 1;
                }
                var r = result.Value;
                Console.WriteLine(string.Create(c,
                    $"  {name,-12} {r.Requests / r.Seconds,8:F1} {r.P50,8:F1} {r.P95,8:F1} {r.P99,8:F1} {r.Max,8:F1} {r.Requests,9} {r.Non2xx,8} {r.Errors,7}"));
            }
        }
        finally
        {
            File.Delete(script);
        }
        return 0;
    }

    // wrk's own report has no p95; its Lua `done` hook prints one parseable line (latencies in microseconds).
    private const string WrkScript = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("EI %d %d %d %d %.1f %.1f %.1f %.1f\n", summary.requests, summary.duration,
            e.status, e.connect + e.read + e.write + e.timeout,
            latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
        end
        """;

    private readonly record struct WrkResult(long Requests, double Seconds, long Non2xx, long Errors, double P50, double P95, double P99, double Max);

    private static async Task<WrkResult?> RunWrkAsync(Settings settings, string script, Uri url, string cookie, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.Wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     $"-t{settings.Threads}", $"-c{settings.Connections}", $"-d{settings.Duration}s", "--timeout", "10s", "-s", script,
                 })
        {
            start.ArgumentList.Add(argument);
        }
        if (cookie.Length > 0)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Cookie: " + cookie);
        }
        start.ArgumentList.Add(url.ToString());
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            await Console.Error.WriteLineAsync($"bench-web: cannot run '{settings.Wrk}' ({ex.Message}); apt-get install wrk, or pass --duration 0.").ConfigureAwait(false);
            return null;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var line = (await output.ConfigureAwait(false)).Split('\n').FirstOrDefault(l => l.StartsWith("EI ", StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
            {
                await Console.Error.WriteLineAsync($"bench-web: wrk exited with {process.ExitCode}: {await errors.ConfigureAwait(false)}").ConfigureAwait(false);
                return null;
            }
            var f = line.Split(' ');
            var c = CultureInfo.InvariantCulture;
            return new WrkResult(long.Parse(f[1], c), long.Parse(f[2], c) / 1e6, long.Parse(f[3], c), long.Parse(f[4], c),
                double.Parse(f[5], c) / 1000, double.Parse(f[6], c) / 1000, double.Parse(f[7], c) / 1000, double.Parse(f[8], c) / 1000);
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string? ReadPassword(string? value) => value == "-" ? Console.In.ReadLine() : value;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("data-sku=\"([^\"]+)\"")]
    private static partial Regex SkuAttribute();

    /// <summary>
    /// An HTTP client that keeps cookies itself (the sign-in cookie is Secure in Production, which a cookie
    /// container would not send over plain-HTTP loopback) and follows no redirects.
    /// </summary>
    private sealed partial class SiteClient(Uri baseUrl) : IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseUrl };
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        /// <summary>The cookies as one <c>Cookie</c> header value (empty when none).</summary>
        public string Cookie => string.Join("; ", _cookies.Select(kv => $"{kv.Key}={kv.Value}"));

        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            return await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Signs in through <c>/account/login</c> when <c>/</c> redirects there; false (with a message) when
        /// that fails or no credentials were given.</summary>
        public async Task<bool> SignInIfAskedAsync(string? email, string? password, CancellationToken cancellationToken)
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            using var response = await _http.SendAsync(probe, cancellationToken).ConfigureAwait(false);
            Remember(response);
            if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
            {
                return true;
            }
            if (email is null || password is null)
            {
                await Console.Error.WriteLineAsync("bench-web: the site asks for a sign-in; pass --email and --password (e.g. a user from 'user seed-demo').").ConfigureAwait(false);
                return false;
            }
            var (_, form) = await GetAsync("/account/login", cancellationToken).ConfigureAwait(false);
            var token = AntiforgeryToken().Match(form);
            if (!token.Success)
            {
                await Console.Error.WriteLineAsync("bench-web: /account/login has no antiforgery token.").ConfigureAwait(false);
                return false;
            }
            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/login", UriKind.Relative))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["_handler"] = "login",
                    ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                    ["Input.Email"] = email,
                    ["Input.Password"] = password,
                }),
            };
            await SendAsync(post, cancellationToken).ConfigureAwait(false);
            using var check = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            var (status, _) = await SendAsync(check, cancellationToken).ConfigureAwait(false);
            if (status != HttpStatusCode.OK)
            {
                await Console.Error.WriteLineAsync($"bench-web: sign-in as {email} failed (/ answered {(int)status}).").ConfigureAwait(false);
                return false;
            }
            return true;
        }

        private async Task<(HttpStatusCode, string)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", Cookie);
            }
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Remember(response);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        private void Remember(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                return;
            }
            foreach (var value in values)
            {
                var pair = value.Split(';', 2)[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    var (name, content) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                    if (content.Length == 0 || value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                    {
                        _cookies.Remove(name);
                    }
                    else
                    {
                        _cookies[name] = content;
                    }
                }
            }
        }

        public void Dispose() => _http.Dispose();

        [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryToken();
    }
}
