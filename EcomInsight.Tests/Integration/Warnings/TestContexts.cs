using EcomInsight.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcomInsight.Tests.Integration.Warnings;

internal static class TestContexts
{
    public static EcomInsightDbContext Create(NpgsqlDataSource dataSource) =>
        new(new DbContextOptionsBuilder<EcomInsightDbContext>().UseNpgsql(dataSource).Options);
}
