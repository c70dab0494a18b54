//===- ReportView.cpp - report.json for people -----------------------------===//

#include "ReportView.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

const char *const dsc::reportSteps[6] = {"import", "fold-distillation", "prune",
                                         "fold",   "quantize",          "fuse"};

namespace {

std::string humanBytes(double bytes) {
  if (bytes >= 1 << 20)
    return formatv("{0:f2} MB", bytes / (1 << 20)).str();
  if (bytes >= 1 << 10)
    return formatv("{0:f1} KB", bytes / (1 << 10)).str();
  return formatv("{0} B", (int64_t)bytes).str();
}

std::string humanCount(double n) {
  if (n >= 1e9)
    return formatv("{0:f2} G", n / 1e9).str();
  if (n >= 1e6)
    return formatv("{0:f2} M", n / 1e6).str();
  if (n >= 1e3)
    return formatv("{0:f1} K", n / 1e3).str();
  return formatv("{0}", (int64_t)n).str();
}

double number(const json::Object *object, StringRef key) {
  if (!object)
    return 0;
  if (auto v = object->getNumber(key))
    return *v;
  return 0;
}

std::string escapeXML(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string shorten(StringRef text, size_t width) {
  return text.size() <= width ? text.str() : (text.take_front(width - 3) + "...").str();
}

/// The first layer of a group ("a, b, c" -> "a (+2)").
std::string groupLabel(StringRef layers) {
  SmallVector<StringRef> names;
  layers.split(names, ", ");
  std::string label = names.front().str();
  if (names.size() > 1)
    label += formatv(" (+{0})", names.size() - 1).str();
  return label;
}

} // namespace

void dsc::printReportTable(const json::Object &report, raw_ostream &os) {
  const json::Object *steps = report.getObject("steps");
  os << formatv("   {0,-18} {1,12} {2,12} {3,12}\n", "step", "parameters", "MACs", "weights");
  for (const char *step : reportSteps) {
    const json::Object *stats = steps ? steps->getObject(step) : nullptr;
    if (!stats)
      continue;
    os << formatv("   {0,-18} {1,12} {2,12} {3,12}\n", step,
                  humanCount(number(stats, "parameters")), humanCount(number(stats, "macs")),
                  humanBytes(number(stats, "weight_bytes")));
  }
  const json::Object *sizes = report.getObject("sizes");
  os << formatv("   sizes: weights {0}, object {1}, arena {2}, total {3}\n",
                humanBytes(number(sizes, "weights_bytes")),
                humanBytes(number(sizes, "object_bytes")),
                humanBytes(number(sizes, "arena_bytes")),
                humanBytes(number(sizes, "total_bytes")));
  if (const json::Object *fidelity = report.getObject("fidelity")) {
    if (const json::Array *outputs = fidelity->getArray("outputs"))
      for (const json::Value &value : *outputs)
        if (const json::Object *o = value.getAsObject())
          os << formatv("   fidelity {0}: cosine {1:f5}, top-1 agreement {2:P1}\n",
                        o->getString("output").value_or(""), number(o, "min_cosine"),
                        number(o, "top1_agreement"));
    if (const json::Object *accuracy = fidelity->getObject("accuracy"))
      os << formatv("   accuracy on {0} labels: original {1:P2}, compiled {2:P2}\n",
                    (int64_t)number(accuracy, "labels"), number(accuracy, "reference"),
                    number(accuracy, "model"));
  }
  if (const json::Object *latency = report.getObject("latency"))
    os << formatv("   latency on this machine: {0:f3} ms (median of {1}, {2} thread)\n",
                  number(latency, "median_ms"), (int64_t)number(latency, "runs"),
                  (int64_t)number(latency, "threads"));
}

std::string dsc::renderReportSVG(const json::Object &report) {
  const int width = 760, left = 20, barX = 190, barWidth = 330;
  std::string body;
  raw_string_ostream svg(body);
  int y = 30;
  auto text = [&](int x, int atY, StringRef content, StringRef style = "") {
    svg << formatv("<text x=\"{0}\" y=\"{1}\"{2}>{3}</text>\n", x, atY,
                   style.empty() ? "" : (" " + style).str(), escapeXML(content));
  };
  auto heading = [&](StringRef title) {
    y += 14;
    text(left, y, title, "class=\"h\"");
    y += 10;
  };
  std::string model = sys::path::filename(report.getString("model").value_or("")).str();
  text(left, y,
       "dsc-compile: " + model + " for " + report.getString("target").value_or("").str(),
       "class=\"t\"");
  y += 12;

  // Size and cost per step: weight bytes and MACs, each against its largest.
  const json::Object *steps = report.getObject("steps");
  double maxWeights = 1, maxMacs = 1;
  for (const char *step : reportSteps)
    if (const json::Object *stats = steps ? steps->getObject(step) : nullptr) {
      maxWeights = std::max(maxWeights, number(stats, "weight_bytes"));
      maxMacs = std::max(maxMacs, number(stats, "macs"));
    }
  heading("Size and cost per step");
  svg << formatv("<rect x=\"{0}\" y=\"{1}\" width=\"10\" height=\"8\" class=\"w\"/>\n", barX,
                 y - 8);
  text(barX + 14, y, "weights", "class=\"s\"");
  svg << formatv("<rect x=\"{0}\" y=\"{1}\" width=\"10\" height=\"8\" class=\"m\"/>\n",
                 barX + 80, y - 8);
  text(barX + 94, y, "MACs", "class=\"s\"");
  y += 8;
  for (const char *step : reportSteps) {
    const json::Object *stats = steps ? steps->getObject(step) : nullptr;
    if (!stats)
      continue;
    double weights = number(stats, "weight_bytes"), macs = number(stats, "macs");
    text(left, y + 15, step);
    svg << formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2:f1}\" height=\"9\" class=\"w\"/>\n",
                   barX, y + 4, std::max(1.0, barWidth * weights / maxWeights));
    svg << formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2:f1}\" height=\"9\" class=\"m\"/>\n",
                   barX, y + 14, std::max(1.0, barWidth * macs / maxMacs));
    text(barX + barWidth + 10, y + 16,
         humanBytes(weights) + ", " + humanCount(macs) + " MACs", "class=\"s\"");
    y += 28;
  }

  // What the compiled model costs and how close it is to the original.
  heading("Compiled model");
  const json::Object *sizes = report.getObject("sizes");
  text(left, y + 12,
       formatv("weights {0}, object {1}, arena {2}, total {3}",
               humanBytes(number(sizes, "weights_bytes")),
               humanBytes(number(sizes, "object_bytes")),
               humanBytes(number(sizes, "arena_bytes")),
               humanBytes(number(sizes, "total_bytes")))
           .str());
  y += 20;
  if (const json::Object *latency = report.getObject("latency")) {
    text(left, y + 12,
         formatv("latency on this machine: {0:f3} ms (median of {1} runs, {2} thread)",
                 number(latency, "median_ms"), (int64_t)number(latency, "runs"),
                 (int64_t)number(latency, "threads"))
             .str());
    y += 20;
  }
  if (const json::Object *fidelity = report.getObject("fidelity")) {
    if (const json::Array *outputs = fidelity->getArray("outputs"))
      for (const json::Value &value : *outputs)
        if (const json::Object *o = value.getAsObject()) {
          text(left, y + 12,
               formatv("{0}: cosine with the original {1:f5}, top-1 agreement {2:P1}",
                       o->getString("output").value_or(""), number(o, "min_cosine"),
                       number(o, "top1_agreement"))
                   .str());
          y += 20;
        }
    if (const json::Object *accuracy = fidelity->getObject("accuracy")) {
      double original = number(accuracy, "reference"), compiled = number(accuracy, "model");
      for (auto [label, value, style] :
           {std::tuple<const char *, double, const char *>{"accuracy, original", original,
                                                           "o"},
            {"accuracy, compiled", compiled, "c"}}) {
        text(left, y + 13, label);
        svg << formatv(
            "<rect x=\"{0}\" y=\"{1}\" width=\"{2:f1}\" height=\"12\" class=\"{3}\"/>\n", barX,
            y + 3, barWidth * value, style);
        text(barX + barWidth + 10, y + 13, formatv("{0:P2}", value).str());
        y += 20;
      }
    }
  }

  // Pruning sensitivity: output cosine per group (rows) and ratio (columns).
  if (const json::Object *sensitivity = report.getObject("prune_sensitivity")) {
    const json::Array *groups = sensitivity->getArray("groups");
    const json::Array *ratios = sensitivity->getArray("ratios");
    if (groups && ratios && !groups->empty()) {
      heading("Pruning sensitivity: each layer alone (cell: accuracy, or output cosine)");
      const int cellWidth = 80, cellX = 330;
      for (auto [i, ratio] : llvm::enumerate(*ratios))
        text(cellX + i * cellWidth + 20, y + 12,
             formatv("ratio {0}", ratio.getAsNumber().value_or(0)).str(), "class=\"s\"");
      y += 18;
      for (const json::Value &value : *groups) {
        const json::Object *group = value.getAsObject();
        if (!group)
          continue;
        text(left, y + 13,
             shorten(groupLabel(group->getString("layers").value_or("")), 44) +
                 formatv(" [{0}]", (int64_t)number(group, "channels")).str(),
             "class=\"s\"");
        if (const json::Array *results = group->getArray("results"))
          for (auto [i, r] : llvm::enumerate(*results)) {
            const json::Object *result = r.getAsObject();
            double cosine = number(result, "output_cosine");
            // Hue 0 (red) at cosine <= 0.9 up to 120 (green) at 1.
            double hue = 120 * std::clamp((cosine - 0.9) / 0.1, 0.0, 1.0);
            svg << formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"16\" "
                           "fill=\"hsl({3:f0},65%,60%)\"/>\n",
                           cellX + i * cellWidth, y, cellWidth - 2, hue);
            std::string label = result && result->getNumber("accuracy")
                                    ? formatv("{0:P1}", number(result, "accuracy")).str()
                                    : formatv("{0:f4}", cosine).str();
            text(cellX + i * cellWidth + 8, y + 12, label, "class=\"s\"");
          }
        y += 18;
      }
    }
  }
  y += 16;

  std::string out;
  raw_string_ostream doc(out);
  doc << formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                 "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"13\">\n",
                 width, y)
      << "<style>.t{font-size:16px;font-weight:bold}.h{font-weight:bold}"
         ".s{font-size:11px}.w{fill:#4c78a8}.m{fill:#f58518}.o{fill:#9d9d9d}"
         ".c{fill:#54a24b}</style>\n"
      << formatv("<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n", width, y) << body
      << "</svg>\n";
  return out;
}
