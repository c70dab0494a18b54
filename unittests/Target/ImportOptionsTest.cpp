//===- ImportOptionsTest.cpp - --input-shape and --dim-bound parsing -------===//

#include "dsc/Target/ONNX/ONNXImporter.h"

#include <gtest/gtest.h>

namespace {

TEST(ImportOptions, ParsesInputShape) {
  dsc::ONNXImportOptions options;
  EXPECT_EQ(dsc::parseInputShapeOption("x=1,3,48,320", options), "");
  EXPECT_EQ(options.inputShapes["x"], (std::vector<int64_t>{1, 3, 48, 320}));
}

TEST(ImportOptions, InputNameMayContainEquals) {
  dsc::ONNXImportOptions options;
  EXPECT_EQ(dsc::parseInputShapeOption("a=b=2,2", options), "");
  EXPECT_EQ(options.inputShapes["a=b"], (std::vector<int64_t>{2, 2}));
}

TEST(ImportOptions, RefusesBadShapes) {
  dsc::ONNXImportOptions options;
  EXPECT_NE(dsc::parseInputShapeOption("x", options), "");
  EXPECT_NE(dsc::parseInputShapeOption("x=1,-3", options), "");
  EXPECT_NE(dsc::parseInputShapeOption("x=1,abc", options), "");
}

TEST(ImportOptions, ParsesDimBound) {
  dsc::ONNXImportOptions options;
  EXPECT_EQ(dsc::parseDimBoundOption("x:0=4", options), "");
  auto key = std::make_pair(std::string("x"), int64_t(0));
  EXPECT_EQ(options.dimBounds[key], 4);
}

TEST(ImportOptions, RefusesBadBounds) {
  dsc::ONNXImportOptions options;
  EXPECT_NE(dsc::parseDimBoundOption("x=4", options), "");
  EXPECT_NE(dsc::parseDimBoundOption("x:0=0", options), "");
  EXPECT_NE(dsc::parseDimBoundOption("x:a=4", options), "");
}

} // namespace
