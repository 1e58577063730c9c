using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EcomInsight.Domain.Database;
using EcomInsight.Tests.Integration;
using EcomInsight.Tests.Integration.Import;
using EcomInsight.Web.Cli;
using Microsoft.Playwright;

namespace EcomInsight.Tests.E2E;

/// <summary>
/// The application as users meet it, for the browser tests: a private database of the local cluster, migrated,
/// with the real Online Retail file imported by the <c>import</c> verb; then <c>EcomInsight.Web serve</c> as a
/// separate process (Kestrel on a free loopback port, Production environment, scheduler off so nothing runs
/// behind the tests' backs), and Debian's Chromium driven by Playwright. Any step that fails fails every E2E
/// test with the step's output: a missing browser or an app that does not start is an error, never a skip.
/// </summary>
public sealed class E2EApp : IAsyncLifetime
{
    /// <summary>Chromium binary; <c>ECOMINSIGHT_CHROMIUM</c> overrides Debian's path.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("ECOMINSIGHT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly PostgresFixture _database = new();
    private readonly StringBuilder _serverLog = new();
    private Process? _server;
    private IPlaywright? _playwright;

    /// <summary>Base address of the running app, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The headless browser (one per run; tests open their own contexts).</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: <c>TestResults/screenshots</c> under the repository root.</summary>
    public string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Locate(), "TestResults", "screenshots");

    /// <summary>The demo users by role (<c>Admin</c>, <c>CategoryManager</c>, <c>Approver</c>, <c>Viewer</c>), as
    /// <c>user seed-demo</c> printed them.</summary>
    public IReadOnlyDictionary<string, DemoUser> Users { get; private set; } = new Dictionary<string, DemoUser>();

    /// <summary>The app's console output so far (for failure messages).</summary>
    public string ServerLog
    {
        get
        {
            lock (_serverLog)
            {
                return _serverLog.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        Directory.CreateDirectory(ScreenshotDirectory);
        await _database.InitializeAsync();
        await RunVerbAsync(TimeSpan.FromMinutes(10), "import", "--source", "online-retail", "--file", ImportTestSupport.RealFilePath);
        await RunVerbAsync(TimeSpan.FromMinutes(20), "pipeline");
        Users = ParseDemoUsers(await RunVerbAsync(TimeSpan.FromMinutes(2), "user", "seed-demo"));
        await StartServerAsync();
        _playwright = await Playwright.CreateAsync();
        try
        {
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"Chromium did not start from {ChromiumPath} (apt-get install chromium): {ex.Message}", ex);
        }
    }

    /// <summary>A new browser context (own cookies) on <see cref="BaseUrl"/>, 1366×900, with a page that records
    /// JavaScript errors into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        // A busy 2-core CI machine renders some pages in seconds; time-outs are for hangs, not for speed.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => { lock (errors) { errors.Add(error); } };
        page.Console += (_, message) =>
        {
            // The browser asks for /favicon.ico on its own; the site declares no icon (reported to the pages owner).
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                lock (errors) { errors.Add($"{message.Text} ({message.Location})"); }
            }
        };
        return page;
    }

    /// <summary>Signs <paramref name="page"/> in as the demo user of <paramref name="role"/> through the login form
    /// and waits for the dashboard.</summary>
    public async Task SignInAsync(IPage page, string role)
    {
        var user = Users.TryGetValue(role, out var found) ? found : throw new InvalidOperationException($"No demo user for role {role}.");
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-email").FillAsync(user.Email);
        await page.GetByTestId("login-password").FillAsync(user.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(BaseUrl.ToString());
    }

    /// <summary>Saves a full-page screenshot as <c>TestResults/screenshots/NAME.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        // The app's log beside the screenshots: the detail behind any 500 a test met (CI keeps TestResults).
        await File.WriteAllTextAsync(Path.Combine(ScreenshotDirectory, "..", "e2e-server.log"), ServerLog);
        await _database.DisposeAsync();
    }

    /// <summary>The web project's build output of the same configuration as this test assembly.</summary>
    private static string WebDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var path = Path.Combine(RepositoryRoot.Locate(), "EcomInsight.Web", "bin", configuration, "net10.0", "EcomInsight.Web.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} not found: build EcomInsight.Web ({configuration}) first.");
    }

    private ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Locate(),
        };
        start.ArgumentList.Add(WebDll());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The settings a deployment sets, pointed at this run's database.
        start.Environment["ConnectionStrings__EcomInsight"] = _database.ConnectionString;
        start.Environment["Database__UseLocalCluster"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Scheduler__Enabled"] = "false";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        // The sign-in cookie is Secure in Production; the tests talk plain HTTP on loopback.
        start.Environment["Identity__CookieSecurePolicy"] = "SameAsRequest";
        return start;
    }

    /// <summary>Runs a verb of the app to completion; throws with its output unless it exits 0.</summary>
    public async Task<string> RunVerbAsync(TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' ran longer than {timeout}: {await output}{await errors}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' exited with {process.ExitCode}: {await output}{await errors}");
        }
        return await output;
    }

    private async Task StartServerAsync()
    {
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _server = Process.Start(StartInfo(["serve", "--urls", $"http://127.0.0.1:{port}"]))!;
        _server.OutputDataReceived += (_, e) => { lock (_serverLog) { _serverLog.AppendLine(e.Data); } };
        _server.ErrorDataReceived += (_, e) => { lock (_serverLog) { _serverLog.AppendLine(e.Data); } };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_server.ExitCode} before it was ready:\n{ServerLog}");
            }
            try
            {
                using var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy machine
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new InvalidOperationException($"The app did not answer /health/ready with 200 within 3 minutes:\n{ServerLog}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>Reads the table <c>user seed-demo</c> prints: role, e-mail, password, categories.</summary>
    private static Dictionary<string, DemoUser> ParseDemoUsers(string printed)
    {
        var names = UserCommand.DemoUsers.ToDictionary(u => u.Role, u => u.DisplayName, StringComparer.Ordinal);
        var users = new Dictionary<string, DemoUser>(StringComparer.Ordinal);
        foreach (var line in printed.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && names.TryGetValue(fields[0], out var displayName) && fields[1].Contains('@', StringComparison.Ordinal))
            {
                users[fields[0]] = new DemoUser(fields[1], fields[2], displayName);
            }
        }
        return users.Count == names.Count
            ? users
            : throw new InvalidOperationException($"'user seed-demo' printed {users.Count} of {names.Count} demo users:\n{printed}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A demo user's sign-in.</summary>
/// <param name="Email">E-mail (user name).</param>
/// <param name="Password">Password printed by <c>user seed-demo</c>.</param>
/// <param name="DisplayName">Name the app shows in the user menu.</param>
public sealed record DemoUser(string Email, string Password, string DisplayName);

/// <summary>The browser tests share one app and one browser.</summary>
[CollectionDefinition("e2e")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "xunit's collection-definition idiom.")]
public sealed class E2ECollection : ICollectionFixture<E2EApp>
{
}
