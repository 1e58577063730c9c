using System.Diagnostics;
using System.Text;

namespace EcomInsight.Domain.Database;

/// <summary>Exit code and combined stdout/stderr of a finished process.</summary>
/// <param name="ExitCode">The process's exit status.</param>
/// <param name="Output">Standard output followed by standard error, trimmed.</param>
internal readonly record struct ProcessResult(int ExitCode, string Output);

/// <summary>Runs a short-lived tool (initdb, pg_ctl, runuser, chown) and collects its output.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments,
        string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ProcessResult(127, $"cannot run {fileName}: {ex.Message}");
        }
        process.StandardInput.Close();
        // pg_ctl start leaves the server running with our pipes inherited unless told otherwise; it redirects
        // the server's output to the log file (-l), so reading to the end terminates when pg_ctl exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = new StringBuilder().Append(await stdout.ConfigureAwait(false)).Append(await stderr.ConfigureAwait(false));
        return new ProcessResult(process.ExitCode, output.ToString().Trim());
    }
}
