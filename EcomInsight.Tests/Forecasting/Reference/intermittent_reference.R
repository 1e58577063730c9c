# Reference values for the intermittent-demand models (Croston, SBA) and the ADI/CV² classifier,
# produced with Debian's r-cran-forecast 8.20 (R 4.2).
#
#   Rscript EcomInsight.Tests/Forecasting/Reference/intermittent_reference.R   (from the repository root)
#
# Real series: ../shared/eval/retail-weekly/train.csv.gz (never committed). Rule, deterministic:
# series with at least 6 positive weeks and ADI >= 1.32 (intermittent or lumpy), in series_id string
# order, every 40th one starting from the first, 20 series. Only R's OUTPUT is written (forecasts,
# fitted values, ADI, CV2), never the data. Synthetic series are generated here with a fixed seed and
# written out in full (intermittent_synthetic.csv) because they are not data.
#
# forecast 8.20's croston() has no `type` argument (args(croston): y, h, alpha, x), so SBA is
# croston()$mean * (1 - alpha/2), which is its definition (Syntetos & Boylan 2005).
suppressPackageStartupMessages(library(forecast))

out_dir <- "EcomInsight.Tests/Forecasting/Reference"
train_path <- "../shared/eval/retail-weekly/train.csv.gz"

classify <- function(x) {
  pos <- which(x > 0)
  if (length(pos) == 0) return(list(adi = NA, cv2 = NA, cls = "NoDemand"))
  adi <- (max(pos) - min(pos) + 1) / length(pos)
  z <- x[pos]
  cv2 <- if (length(z) > 1) (sd(z) / mean(z))^2 else 0
  cls <- if (adi < 1.32) { if (cv2 < 0.49) "Smooth" else "Erratic" } else { if (cv2 < 0.49) "Intermittent" else "Lumpy" }
  list(adi = adi, cv2 = cv2, cls = cls)
}

series <- list()
d <- read.csv(gzfile(train_path), colClasses = c("character", "character", "numeric"))
ids <- sort(unique(d$series_id), method = "radix")
eligible <- character(0)
for (id in ids) {
  x <- d$y[d$series_id == id]
  if (sum(x > 0) >= 6 && classify(x)$adi >= 1.32) eligible <- c(eligible, id)
}
chosen <- eligible[seq(1, by = 40, length.out = 20)]
for (id in chosen) series[[id]] <- list(y = d$y[d$series_id == id], source = "real")

set.seed(20111)
syn <- list(
  syn_intermittent = rbinom(40, 1, 0.3) * rpois(40, 4),
  syn_lumpy = rbinom(52, 1, 0.2) * round(rexp(52, 1 / 20)),
  syn_leading_zeros = c(rep(0, 15), rbinom(25, 1, 0.6) * (1 + rpois(25, 2))),
  syn_single_demand = c(0, 0, 0, 7, 0, 0),
  syn_smooth = 5 + rpois(30, 3)
)
syn_rows <- list()
for (nm in names(syn)) {
  series[[nm]] <- list(y = syn[[nm]], source = "synthetic")
  syn_rows[[nm]] <- data.frame(series_id = nm, t = seq_along(syn[[nm]]) - 1, y = syn[[nm]])
}
write.csv(do.call(rbind, syn_rows), file.path(out_dir, "intermittent_synthetic.csv"), row.names = FALSE, quote = FALSE)

fc_rows <- list()
fit_rows <- list()
for (nm in names(series)) {
  x <- series[[nm]]$y
  cl <- classify(x)
  for (alpha in c(0.1, 0.3)) {
    f <- croston(ts(x), h = 3, alpha = alpha)
    m <- as.numeric(f$mean)[1]
    fc_rows[[length(fc_rows) + 1]] <- data.frame(
      series_id = nm, source = series[[nm]]$source, n = length(x), alpha = alpha,
      croston = sprintf("%.15g", m), sba = sprintf("%.15g", m * (1 - alpha / 2)),
      adi = sprintf("%.15g", cl$adi), cv2 = sprintf("%.15g", cl$cv2), class = cl$cls)
    fit_rows[[length(fit_rows) + 1]] <- data.frame(
      series_id = nm, alpha = alpha, t = seq_along(x) - 1, fitted = sprintf("%.15g", as.numeric(f$fitted)))
  }
}
write.csv(do.call(rbind, fc_rows), file.path(out_dir, "croston_forecasts.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, fit_rows), file.path(out_dir, "croston_fitted.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", length(series), "series\n")
