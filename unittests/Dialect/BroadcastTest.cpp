//===- BroadcastTest.cpp - ONNX broadcasting of static/dynamic shapes ------===//

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include <gtest/gtest.h>

using mlir::ShapedType;

namespace {

TEST(BroadcastShapes, RightAlignsAndRepeatsOnes) {
  llvm::SmallVector<int64_t> result;
  ASSERT_TRUE(mlir::succeeded(dsc::broadcastShapes({2, 1, 4}, {3, 1}, result)));
  EXPECT_EQ(result, (llvm::SmallVector<int64_t>{2, 3, 4}));
}

TEST(BroadcastShapes, ScalarBroadcastsToAnything) {
  llvm::SmallVector<int64_t> result;
  ASSERT_TRUE(mlir::succeeded(dsc::broadcastShapes({}, {5, 6}, result)));
  EXPECT_EQ(result, (llvm::SmallVector<int64_t>{5, 6}));
}

TEST(BroadcastShapes, DynamicDimTakesTheStaticOne) {
  llvm::SmallVector<int64_t> result;
  ASSERT_TRUE(mlir::succeeded(
      dsc::broadcastShapes({ShapedType::kDynamic, 8}, {4, 8}, result)));
  EXPECT_EQ(result, (llvm::SmallVector<int64_t>{4, 8}));
}

TEST(BroadcastShapes, RefusesMismatchedDims) {
  llvm::SmallVector<int64_t> result;
  EXPECT_TRUE(mlir::failed(dsc::broadcastShapes({3, 4}, {5, 4}, result)));
}

} // namespace
