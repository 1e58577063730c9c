using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace EcomInsight.Domain.Database;

/// <summary>What <see cref="LocalCluster.GetStatusAsync"/> found.</summary>
/// <param name="Initialized">Whether <c>initdb</c> has created the data folder.</param>
/// <param name="Running">Whether the server is up.</param>
/// <param name="Port">The TCP port on 127.0.0.1 the cluster uses (or will use).</param>
/// <param name="DataDirectory">Absolute path of the data folder.</param>
public sealed record LocalClusterStatus(bool Initialized, bool Running, int Port, string DataDirectory)
{
    /// <summary>One line for humans, e.g. "running on 127.0.0.1:55432 (data: /repo/.local/pg/data)".</summary>
    public override string ToString() =>
        !Initialized ? $"not initialized (would be created in {DataDirectory})"
        : Running ? $"running on 127.0.0.1:{Port} (data: {DataDirectory})"
        : $"stopped (port 127.0.0.1:{Port}, data: {DataDirectory})";
}

/// <summary>
/// A project-local PostgreSQL cluster built from Debian's server binaries, used by the demo, the tests and CI.
/// </summary>
/// <remarks>
/// <para>Layout under the repository root (all git-ignored): <c>.local/pg/data</c> (the cluster),
/// <c>.local/pg/server.log</c>, <c>.local/pg-password</c> (the superuser password, generated once, mode 600)
/// and <c>.local/pg-port</c> (the port the cluster was last started on).</para>
/// <para>The server listens on 127.0.0.1 only (no Unix socket, so long repository paths cannot break it) and
/// uses scram-sha-256. <c>initdb</c> and <c>postgres</c> refuse to run as root, and CI runs as root, so when
/// the current user is root every server binary runs as the <c>postgres</c> OS user through <c>runuser</c>
/// and <c>.local/pg</c> is owned by that user. When that user cannot enter the checkout at all (a clone under
/// root's private home), the cluster is kept in <c>/var/lib/postgresql/ecominsight-&lt;hash of the checkout
/// path&gt;</c> and <c>.local/pg</c> is a symbolic link to it.</para>
/// <para>Port: <c>ECOMINSIGHT_PG_PORT</c> when set, else the recorded port, else 55432. When the port is
/// taken by something else (for instance another checkout's cluster) and was not set explicitly, the next
/// free port is used and recorded, so several checkouts on one machine coexist.</para>
/// <para>Every operation is idempotent and serialised across processes by a lock file
/// (<c>.local/pg.lock</c>): starting a running cluster, or stopping a stopped one, does nothing.</para>
/// </remarks>
public sealed class LocalCluster
{
    /// <summary>Port used when neither <c>ECOMINSIGHT_PG_PORT</c> nor a recorded port exists.</summary>
    public const int DefaultPort = 55432;

    /// <summary>The application database, created on start when absent.</summary>
    public const string DefaultDatabase = "ecominsight";

    /// <summary>The cluster's superuser.</summary>
    public const string SuperUser = "postgres";

    /// <summary>Environment variable that fixes the port.</summary>
    public const string PortEnvironmentVariable = "ECOMINSIGHT_PG_PORT";

    /// <summary>Environment variable naming the folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>.</summary>
    public const string BinEnvironmentVariable = "ECOMINSIGHT_PG_BIN";

    private const string ServiceUser = "postgres";
    private readonly string _clusterLink;
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(3);

    /// <summary>Creates a handle on the cluster of the given repository (nothing is touched until a method runs).</summary>
    /// <param name="repositoryRoot">Folder holding <c>EcomInsight.sln</c>; see <see cref="RepositoryRoot"/>.</param>
    public LocalCluster(string repositoryRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryRoot);
        RootDirectory = Path.GetFullPath(repositoryRoot);
        LocalDirectory = Path.Combine(RootDirectory, ".local");
        _clusterLink = Path.Combine(LocalDirectory, "pg");
        PasswordFile = Path.Combine(LocalDirectory, "pg-password");
        PortFile = Path.Combine(LocalDirectory, "pg-port");
    }

    /// <summary>The cluster of the repository found by <see cref="RepositoryRoot.Locate"/>.</summary>
    public static LocalCluster ForCurrentRepository() => new(RepositoryRoot.Locate());

    /// <summary><c>&lt;root&gt;/.local</c>.</summary>
    public string LocalDirectory { get; }

    /// <summary>The repository root this cluster belongs to.</summary>
    public string RootDirectory { get; }

    /// <summary>
    /// <c>&lt;root&gt;/.local/pg</c>, owned by the server's OS user; or, when that user cannot enter the
    /// checkout (root's private home, for instance), the folder outside it that <c>.local/pg</c> links to.
    /// </summary>
    public string ClusterDirectory =>
        new DirectoryInfo(_clusterLink).LinkTarget is { } target ? Path.GetFullPath(target, LocalDirectory) : _clusterLink;

    /// <summary><c>ClusterDirectory/data</c>, the PostgreSQL data folder.</summary>
    public string DataDirectory => Path.Combine(ClusterDirectory, "data");

    /// <summary><c>ClusterDirectory/server.log</c>.</summary>
    public string LogFile => Path.Combine(ClusterDirectory, "server.log");

    /// <summary><c>&lt;root&gt;/.local/pg-password</c> (mode 600).</summary>
    public string PasswordFile { get; }

    /// <summary><c>&lt;root&gt;/.local/pg-port</c>.</summary>
    public string PortFile { get; }

    /// <summary>
    /// The connection string of an initialised cluster (whether or not it is running), or
    /// <see langword="null"/> when there is none. Reads only the password and port files.
    /// </summary>
    /// <param name="database">Database name; <see cref="DefaultDatabase"/> by default.</param>
    public string? TryGetConnectionString(string database = DefaultDatabase)
    {
        if (!File.Exists(PasswordFile))
        {
            return null;
        }
        return BuildConnectionString(ReadPassword(), ResolvePort(), database);
    }

    /// <summary>Reports whether the cluster exists and runs, without changing anything.</summary>
    /// <param name="cancellationToken">Cancels the wait for <c>pg_ctl</c>.</param>
    public async Task<LocalClusterStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var initialized = IsInitialized;
        var running = initialized && await IsRunningAsync(cancellationToken).ConfigureAwait(false);
        return new LocalClusterStatus(initialized, running, ResolvePort(), DataDirectory);
    }

    /// <summary>
    /// Creates the cluster if needed, starts it if it is not running and creates <paramref name="database"/>
    /// if absent. Idempotent and safe to call from several processes at once.
    /// </summary>
    /// <param name="progress">Receives one line per action taken (init, start, create database); may be null.</param>
    /// <param name="database">Database to ensure; <see cref="DefaultDatabase"/> by default.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A superuser connection string for <paramref name="database"/>.</returns>
    /// <exception cref="InvalidOperationException">The binaries are missing, the port is taken, or the server
    /// did not start; the message carries the tail of the server log.</exception>
    public async Task<string> StartAsync(TextWriter? progress = null, string database = DefaultDatabase,
        CancellationToken cancellationToken = default)
    {
        using (await AcquireLockAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!IsInitialized)
            {
                await InitializeAsync(progress, cancellationToken).ConfigureAwait(false);
            }
            var port = ResolvePort();
            if (!await IsRunningAsync(cancellationToken).ConfigureAwait(false))
            {
                port = ChooseFreePort(port);
                await StartServerAsync(port, progress, cancellationToken).ConfigureAwait(false);
            }
            var connectionString = BuildConnectionString(ReadPassword(), port, database);
            await EnsureDatabaseAsync(connectionString, progress, cancellationToken).ConfigureAwait(false);
            return connectionString;
        }
    }

    /// <summary>Stops the server (fast shutdown) if it runs. Idempotent.</summary>
    /// <param name="progress">Receives a line when the server is stopped; may be null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when a running server was stopped.</returns>
    public async Task<bool> StopAsync(TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        using (await AcquireLockAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!IsInitialized || !await IsRunningAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            var result = await RunServerToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"],
                cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_ctl stop failed ({result.ExitCode}): {result.Output}");
            }
            progress?.WriteLine($"Stopped PostgreSQL (data: {DataDirectory}).");
            return true;
        }
    }

    private bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    private static bool RunningAsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        // pg_ctl status: 0 running, 3 not running, 4 no usable data directory.
        var result = await RunServerToolAsync("pg_ctl", ["status", "-D", DataDirectory], cancellationToken)
            .ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    private async Task InitializeAsync(TextWriter? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(LocalDirectory);
        if (!File.Exists(PasswordFile))
        {
            // Hex keeps the password free of characters that need quoting in connection strings or .pgpass.
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            WritePrivateFile(PasswordFile, password + "\n");
        }
        if (Directory.Exists(DataDirectory))
        {
            // A half-made data folder from an interrupted initdb: initdb wants it empty.
            Directory.Delete(DataDirectory, recursive: true);
        }
        Directory.CreateDirectory(ClusterDirectory);
        if (RunningAsRoot)
        {
            await ChownToServiceUserAsync(ClusterDirectory, cancellationToken).ConfigureAwait(false);
            if (!await ServiceUserCanWriteAsync(ClusterDirectory, cancellationToken).ConfigureAwait(false))
            {
                await RelocateOutsideCheckoutAsync(progress, cancellationToken).ConfigureAwait(false);
            }
        }
        var passwordForInitdb = Path.Combine(ClusterDirectory, "initdb.pw");
        WritePrivateFile(passwordForInitdb, ReadPassword() + "\n");
        try
        {
            if (RunningAsRoot)
            {
                await ChownToServiceUserAsync(passwordForInitdb, cancellationToken).ConfigureAwait(false);
            }
            var result = await RunServerToolAsync("initdb",
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordForInitdb, "--auth", "scram-sha-256",
                 "--encoding", "UTF8", "--locale", "C"], cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed ({result.ExitCode}): {result.Output}");
            }
        }
        finally
        {
            File.Delete(passwordForInitdb);
        }
        // Loopback TCP only; no Unix socket. synchronous_commit=off trades the last few commits on a crash
        // for much faster test and import runs; it cannot corrupt the cluster. A larger max_wal_size avoids
        // checkpoint storms during a full import.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            "\n# EcomInsight local cluster (see LocalCluster.cs)\n" +
            "listen_addresses = '127.0.0.1'\n" +
            "unix_socket_directories = ''\n" +
            "synchronous_commit = off\n" +
            "max_wal_size = '2GB'\n" +
            "max_connections = 200\n" +
            "timezone = 'UTC'\n" +
            "log_timezone = 'UTC'\n", cancellationToken).ConfigureAwait(false);
        progress?.WriteLine($"Initialized PostgreSQL cluster in {DataDirectory}.");
    }

    private async Task StartServerAsync(int port, TextWriter? progress, CancellationToken cancellationToken)
    {
        var result = await RunServerToolAsync("pg_ctl",
            ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)}"],
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"pg_ctl start failed ({result.ExitCode}): {result.Output}\nLast lines of {LogFile}:\n{TailOfLog()}");
        }
        await File.WriteAllTextAsync(PortFile, port.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken)
            .ConfigureAwait(false);
        progress?.WriteLine($"Started PostgreSQL on 127.0.0.1:{port} (data: {DataDirectory}, log: {LogFile}).");
    }

    private static async Task EnsureDatabaseAsync(string connectionString, TextWriter? progress,
        CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        builder.Database = "postgres";
        builder.Pooling = false;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection)
            {
                Parameters = { new NpgsqlParameter { Value = database } },
            };
            await using (exists.ConfigureAwait(false))
            {
                if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return;
                }
            }
            var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", connection);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            progress?.WriteLine($"Created database {database}.");
        }
    }

    /// <summary>Quotes a PostgreSQL identifier (doubles embedded quotes).</summary>
    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private int ResolvePort()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PortEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return ParsePort(fromEnvironment, PortEnvironmentVariable);
        }
        if (File.Exists(PortFile))
        {
            return ParsePort(File.ReadAllText(PortFile).Trim(), PortFile);
        }
        return DefaultPort;
    }

    private static int ParsePort(string text, string source) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{source} holds '{text}', which is not a TCP port (1-65535).");

    private static int ChooseFreePort(int preferred)
    {
        if (IsPortFree(preferred))
        {
            return preferred;
        }
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PortEnvironmentVariable)))
        {
            throw new InvalidOperationException(
                $"Port 127.0.0.1:{preferred} ({PortEnvironmentVariable}) is already in use; choose another port.");
        }
        for (var port = preferred + 1; port < preferred + 100; port++)
        {
            if (IsPortFree(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException(
            $"Ports {preferred}-{preferred + 99} on 127.0.0.1 are all in use; set {PortEnvironmentVariable}.");
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string ReadPassword() => File.ReadAllText(PasswordFile).Trim();

    private static string BuildConnectionString(string password, int port, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = SuperUser,
            Password = password,
            Database = database,
        }.ConnectionString;

    private static void WritePrivateFile(string path, string contents)
    {
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, contents);
            return;
        }
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
        }
        // UnixCreateMode applies only when the file is new.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private string TailOfLog()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(log not readable)";
        }
    }

    private async Task<IDisposable> AcquireLockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(LocalDirectory);
        var path = Path.Combine(LocalDirectory, "pg.lock");
        // A monotonic stopwatch, not the wall clock: the wait must not stretch or shrink if the clock is set.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockWait)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ChownToServiceUserAsync(string path, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("chown", ["-R", $"{ServiceUser}:", path], "/", cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Running as root, the cluster must belong to the '{ServiceUser}' OS user (PostgreSQL refuses root), " +
                $"but 'chown -R {ServiceUser}: {path}' failed: {result.Output}. Install Debian's postgresql package, " +
                "which creates that user.");
        }
    }

    private static async Task<bool> ServiceUserCanWriteAsync(string path, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("runuser", ["-u", ServiceUser, "--", "test", "-w", path],
            "/", cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    /// <summary>
    /// The server's OS user cannot enter the checkout (a parent folder such as /root is private). Rather than
    /// loosening permissions on folders we do not own, keep the cluster in a folder of that user's own,
    /// named after the checkout's path, and make <c>.local/pg</c> a link to it.
    /// </summary>
    private async Task RelocateOutsideCheckoutAsync(TextWriter? progress, CancellationToken cancellationToken)
    {
        var home = Directory.Exists("/var/lib/postgresql") ? "/var/lib/postgresql" : "/var/tmp";
        var key = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RootDirectory)))[..12];
        var outside = Path.Combine(home, "ecominsight-" + key);
        Directory.Delete(_clusterLink, recursive: true);
        Directory.CreateDirectory(outside);
        await ChownToServiceUserAsync(outside, cancellationToken).ConfigureAwait(false);
        if (!await ServiceUserCanWriteAsync(outside, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"The '{ServiceUser}' OS user can reach neither {_clusterLink} nor {outside}; make the checkout's " +
                "parent folders searchable by others (chmod o+x) or clone it elsewhere.");
        }
        Directory.CreateSymbolicLink(_clusterLink, outside);
        progress?.WriteLine(
            $"'{ServiceUser}' cannot enter {RootDirectory} (a parent folder is private), so the cluster lives in {outside}, linked from {_clusterLink}.");
    }

    private async Task<ProcessResult> RunServerToolAsync(string tool, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var executable = Path.Combine(FindBinDirectory(), tool);
        var workingDirectory = Directory.Exists(ClusterDirectory) ? ClusterDirectory : "/";
        if (!RunningAsRoot)
        {
            return await ProcessRunner.RunAsync(executable, arguments, workingDirectory, cancellationToken)
                .ConfigureAwait(false);
        }
        return await ProcessRunner.RunAsync("runuser", ["-u", ServiceUser, "--", executable, .. arguments],
            workingDirectory, cancellationToken).ConfigureAwait(false);
    }

    private static string FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }
        // Debian installs each major version side by side; prefer the newest one present.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(x => x.version > 0 && File.Exists(Path.Combine(x.dir, "bin", "initdb")))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }
        throw new InvalidOperationException(
            $"No PostgreSQL server binaries under {debianRoot}/<version>/bin. Install them with " +
            $"'apt-get install postgresql' or set {BinEnvironmentVariable} to the folder holding initdb and pg_ctl.");
    }
}
