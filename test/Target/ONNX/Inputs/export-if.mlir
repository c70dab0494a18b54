// Input of export.test: an If, which the ONNX exporter does not write yet.
module {
  func.func @main(%c: tensor<i1> {dsc.name = "c"}, %x: tensor<2xf32> {dsc.name = "x"}) -> (tensor<2xf32> {dsc.name = "y"}) {
    %0 = dsc.if %c : tensor<i1> -> tensor<2xf32> {
      dsc.yield %x : tensor<2xf32>
    } else {
      dsc.yield %x : tensor<2xf32>
    }
    return %0 : tensor<2xf32>
  }
}
