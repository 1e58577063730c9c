#!/usr/bin/env Rscript
# R's automatic ets() on every retail-weekly training series (2,758 SKUs, n = 44, non-seasonal).
# Run from the repository root:  Rscript EcomInsight.Tests/Forecasting/Reference/ets_weekly_all.R
# Writes ets_weekly_all.csv next to this script: series id, chosen class, AICc, and the h = 1 and h = 8 forecast
# means (R output only; the series themselves are re-read from ../shared at test time). Also prints R's time.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
outdir <- if (length(script) == 1) dirname(normalizePath(script)) else "."
path <- file.path(outdir, "..", "..", "..", "..", "shared", "eval", "retail-weekly", "train.csv.gz")
d <- read.csv(gzfile(path), colClasses = c("character", "character", "numeric"))
series <- split(d$y, d$series_id)
ids <- sort(names(series))
rows <- character(length(ids))
t0 <- proc.time()
for (k in seq_along(ids)) {
  fit <- ets(ts(series[[ids[k]]], frequency = 1))
  f <- forecast(fit, h = 8, PI = FALSE)$mean
  cls <- paste0(fit$components[1], fit$components[2], ifelse(fit$components[4] == "TRUE", "d", ""), fit$components[3])
  rows[k] <- sprintf("%s,%s,%.10g,%.10g,%.10g", ids[k], cls, fit$aicc, f[1], f[8])
}
el <- (proc.time() - t0)[["elapsed"]]
writeLines(c("series_id,class,aicc,mean1,mean8", rows), file.path(outdir, "ets_weekly_all.csv"))
cat(sprintf("R ets on %d series: %.1f s (%.2f ms per series)\n", length(ids), el, 1000 * el / length(ids)))
