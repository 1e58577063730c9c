using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcomInsight.Domain.Ingest;
using EcomInsight.Web.Security;

namespace EcomInsight.Web.Warnings;

/// <summary>Response of an accepted <c>POST /api/v1/sales</c>.</summary>
/// <param name="BatchId">The import_batch row (source 'api').</param>
/// <param name="Received">Lines posted.</param>
/// <param name="Inserted">New lines written to sales_fact.</param>
/// <param name="Duplicates">Lines this API key's source had sent before (ignored: ingest is idempotent by line id).</param>
public sealed record SalesIngestResponse(
    [property: JsonPropertyName("batch_id")] long BatchId,
    [property: JsonPropertyName("received")] int Received,
    [property: JsonPropertyName("inserted")] int Inserted,
    [property: JsonPropertyName("duplicates")] int Duplicates);

/// <summary>
/// <c>POST /api/v1/sales</c>: near-real-time sales ingest for integrations (API key with the ingest scope,
/// policy <see cref="Policies.ApiIngest"/>). Body: a JSON array of <see cref="IngestSalesLine"/>
/// (<c>line_id, sold_at, sku, quantity, unit_price, market, invoice?</c>). 200 with
/// <see cref="SalesIngestResponse"/>; 400 problem details (<c>errors</c> keyed by JSON path, e.g.
/// <c>$[3].quantity</c>) when the body is not a JSON array of lines or any line is invalid, and then nothing is
/// written. The idempotency source is the authenticated key's name (<see cref="ClaimsIdentity.Name"/>).
/// </summary>
public static class SalesIngestEndpoint
{
    /// <summary>The route.</summary>
    public const string Route = "/api/v1/sales";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the endpoint (authorisation: <see cref="Policies.ApiIngest"/>; no antiforgery: not a form).</summary>
    /// <param name="endpoints">The app.</param>
    public static IEndpointRouteBuilder MapSalesIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, HandleAsync)
            .RequireAuthorization(Policies.ApiIngest)
            .DisableAntiforgery()
            .WithName("IngestSales")
            .WithTags("Ingest")
            .Accepts<IngestSalesLine[]>("application/json")
            .Produces<SalesIngestResponse>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, ClaimsPrincipal user, SalesIngest ingest, CancellationToken cancellationToken)
    {
        List<IngestSalesLine?>? lines;
        try
        {
            lines = await JsonSerializer.DeserializeAsync<List<IngestSalesLine?>>(request.Body, JsonOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return Problem(e.Path ?? "$", $"Not valid JSON for this field{where}: expected a JSON array of sales lines with line_id, sold_at, sku, quantity (integer), unit_price (number), market and optional invoice.");
        }
        if (lines is null)
        {
            return Problem("$", "Expected a JSON array of sales lines.");
        }

        var source = user.Identity?.Name;
        if (string.IsNullOrWhiteSpace(source))
        {
            return Results.Problem("The API key has no name to use as the ingest source.", statusCode: StatusCodes.Status403Forbidden);
        }
        try
        {
            var result = await ingest.IngestAsync(source, lines, cancellationToken);
            return Results.Ok(new SalesIngestResponse(result.BatchId, result.Received, result.Inserted, result.Duplicates));
        }
        catch (IngestValidationException e)
        {
            var errors = e.Errors.GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray());
            return Results.ValidationProblem(errors, title: $"{e.Errors.Count} invalid field(s); nothing was written.");
        }
    }

    private static IResult Problem(string path, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] }, title: "The body is not a valid batch; nothing was written.");
}
