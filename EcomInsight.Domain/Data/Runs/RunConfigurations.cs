using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Runs;

/// <summary>Maps <see cref="ModelRun"/> to <c>model_run</c>.</summary>
internal sealed class ModelRunConfiguration : IEntityTypeConfiguration<ModelRun>
{
    public void Configure(EntityTypeBuilder<ModelRun> builder)
    {
        builder.ToTable("model_run");
        builder.HasKey(r => r.RunId);
        builder.Property(r => r.RunId).HasColumnName("run_id").UseIdentityAlwaysColumn();
        builder.Property(r => r.Kind).HasColumnName("kind");
        builder.Property(r => r.Frequency).HasColumnName("frequency");
        builder.Property(r => r.Status).HasColumnName("status");
        builder.Property(r => r.StartedAt).HasColumnName("started_at").HasDefaultValueSql("now()");
        builder.Property(r => r.FinishedAt).HasColumnName("finished_at");
        builder.Property(r => r.TrainRunId).HasColumnName("train_run_id");
        builder.Property(r => r.DataFrom).HasColumnName("data_from");
        builder.Property(r => r.DataTo).HasColumnName("data_to");
        builder.Property(r => r.Horizon).HasColumnName("horizon");
        builder.Property(r => r.Models).HasColumnName("models");
        builder.Property(r => r.SeriesCount).HasColumnName("series_count");
        builder.Property(r => r.RowsWritten).HasColumnName("rows_written");
        builder.Property(r => r.Wape).HasColumnName("wape");
        builder.Property(r => r.Mase).HasColumnName("mase");
        builder.Property(r => r.Bias).HasColumnName("bias");
        builder.Property(r => r.Coverage80).HasColumnName("coverage80");
        builder.Property(r => r.Reconciliation).HasColumnName("reconciliation");
        builder.Property(r => r.Instance).HasColumnName("instance");
        builder.Property(r => r.Error).HasColumnName("error");
        builder.HasOne<ModelRun>().WithMany().HasForeignKey(r => r.TrainRunId);
        builder.HasIndex(r => new { r.Kind, r.Frequency, r.StartedAt }).HasDatabaseName("model_run_kind_started_idx").IsDescending(false, false, true);
    }
}

/// <summary>Maps <see cref="ModelSelection"/> to <c>model_selection</c>.</summary>
internal sealed class ModelSelectionConfiguration : IEntityTypeConfiguration<ModelSelection>
{
    public void Configure(EntityTypeBuilder<ModelSelection> builder)
    {
        builder.ToTable("model_selection");
        builder.HasKey(s => new { s.RunId, s.Level, s.SeriesKey, s.Model });
        builder.Property(s => s.RunId).HasColumnName("run_id");
        builder.Property(s => s.Level).HasColumnName("level");
        builder.Property(s => s.SeriesKey).HasColumnName("series_key");
        builder.Property(s => s.Model).HasColumnName("model");
        builder.Property(s => s.Rank).HasColumnName("rank");
        builder.Property(s => s.Chosen).HasColumnName("chosen");
        builder.Property(s => s.Wape).HasColumnName("wape");
        builder.Property(s => s.Mae).HasColumnName("mae");
        builder.Property(s => s.Rmse).HasColumnName("rmse");
        builder.Property(s => s.Mape).HasColumnName("mape");
        builder.Property(s => s.Mase).HasColumnName("mase");
        builder.Property(s => s.Bias).HasColumnName("bias");
        builder.Property(s => s.Params).HasColumnName("params");
        builder.Property(s => s.DemandClass).HasColumnName("demand_class");
        builder.HasOne<ModelRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Maps <see cref="ForecastPoint"/> to <c>forecast</c>.</summary>
internal sealed class ForecastPointConfiguration : IEntityTypeConfiguration<ForecastPoint>
{
    public void Configure(EntityTypeBuilder<ForecastPoint> builder)
    {
        builder.ToTable("forecast");
        builder.HasKey(f => new { f.RunId, f.Level, f.SeriesKey, f.PeriodStart });
        builder.Property(f => f.RunId).HasColumnName("run_id");
        builder.Property(f => f.Level).HasColumnName("level");
        builder.Property(f => f.SeriesKey).HasColumnName("series_key");
        builder.Property(f => f.PeriodStart).HasColumnName("period_start");
        builder.Property(f => f.Step).HasColumnName("step");
        builder.Property(f => f.P10).HasColumnName("p10");
        builder.Property(f => f.P50).HasColumnName("p50");
        builder.Property(f => f.P90).HasColumnName("p90");
        builder.Property(f => f.Model).HasColumnName("model");
        builder.HasIndex(f => new { f.Level, f.SeriesKey, f.RunId }).HasDatabaseName("forecast_series_idx");
        builder.HasOne<ModelRun>().WithMany().HasForeignKey(f => f.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Maps <see cref="RetrainRequest"/> to <c>retrain_request</c>.</summary>
internal sealed class RetrainRequestConfiguration : IEntityTypeConfiguration<RetrainRequest>
{
    public void Configure(EntityTypeBuilder<RetrainRequest> builder)
    {
        builder.ToTable("retrain_request");
        builder.HasKey(r => r.RequestId);
        builder.Property(r => r.RequestId).HasColumnName("request_id").UseIdentityAlwaysColumn();
        builder.Property(r => r.Level).HasColumnName("level");
        builder.Property(r => r.SeriesKey).HasColumnName("series_key");
        builder.Property(r => r.Frequency).HasColumnName("frequency");
        builder.Property(r => r.RequestedAt).HasColumnName("requested_at").HasDefaultValueSql("now()");
        builder.Property(r => r.Reason).HasColumnName("reason");
        builder.Property(r => r.HandledRunId).HasColumnName("handled_run_id");
        builder.HasOne<ModelRun>().WithMany().HasForeignKey(r => r.HandledRunId);
        builder.HasIndex(r => new { r.Level, r.SeriesKey, r.Frequency }).HasDatabaseName("retrain_request_pending_idx")
            .IsUnique().HasFilter("handled_run_id IS NULL");
    }
}

/// <summary>Maps <see cref="JobRun"/> to <c>job_run</c>.</summary>
internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.ToTable("job_run");
        builder.HasKey(j => j.JobRunId);
        builder.Property(j => j.JobRunId).HasColumnName("job_run_id").UseIdentityAlwaysColumn();
        builder.Property(j => j.Job).HasColumnName("job");
        builder.Property(j => j.Trigger).HasColumnName("trigger");
        builder.Property(j => j.FireInstanceId).HasColumnName("fire_instance_id");
        builder.Property(j => j.Instance).HasColumnName("instance");
        builder.Property(j => j.StartedAt).HasColumnName("started_at").HasDefaultValueSql("now()");
        builder.Property(j => j.FinishedAt).HasColumnName("finished_at");
        builder.Property(j => j.Status).HasColumnName("status");
        builder.Property(j => j.RowsWritten).HasColumnName("rows_written");
        builder.Property(j => j.Detail).HasColumnName("detail");
        builder.Property(j => j.Error).HasColumnName("error");
        builder.HasIndex(j => new { j.Job, j.StartedAt }).HasDatabaseName("job_run_job_started_idx").IsDescending(false, true);
    }
}
