# Reference values for EcomInsight's benchmark methods (Models/Baseline) from R's forecast package.
# Run from this folder: Rscript baseline_reference.R  (writes baseline_reference.csv; CI does not need R).
# Series: a short fixed series (so the fixture is self-contained) and R's AirPassengers (monthly, m = 12).
suppressPackageStartupMessages(library(forecast))
short <- c(12, 15, 11, 18, 20, 17, 22, 25, 19, 24, 28, 26)
out <- list()
add <- function(method, series, f) {
  out[[length(out) + 1]] <<- data.frame(method = method, series = series, step = seq_along(f$mean),
    mean = as.numeric(f$mean), lo80 = as.numeric(f$lower[, "80%"]), hi80 = as.numeric(f$upper[, "80%"]),
    lo95 = as.numeric(f$lower[, "95%"]), hi95 = as.numeric(f$upper[, "95%"]))
}
add("naive", "short", naive(short, h = 6, level = c(80, 95)))
add("mean", "short", meanf(short, h = 6, level = c(80, 95)))
add("snaive", "short4", snaive(ts(short, frequency = 4), h = 6, level = c(80, 95)))
ap <- AirPassengers
add("naive", "airpassengers", naive(ap, h = 24, level = c(80, 95)))
add("mean", "airpassengers", meanf(ap, h = 24, level = c(80, 95)))
add("snaive", "airpassengers", snaive(ap, h = 24, level = c(80, 95)))
res <- do.call(rbind, out)
write.csv(res, "baseline_reference.csv", row.names = FALSE)
write.csv(data.frame(y = as.numeric(ap)), "airpassengers.csv", row.names = FALSE)
