// Input of export.test: an If whose branches differ (x, or -x), exported
// with its branches as subgraphs.
module {
  func.func @main(%c: tensor<i1> {dsc.name = "c"}, %x: tensor<2xf32> {dsc.name = "x"}) -> (tensor<2xf32> {dsc.name = "y"}) {
    %0 = dsc.if %c : tensor<i1> -> tensor<2xf32> {
      dsc.yield %x : tensor<2xf32>
    } else {
      %n = dsc.neg %x : (tensor<2xf32>) -> tensor<2xf32>
      dsc.yield %n : tensor<2xf32>
    }
    return %0 : tensor<2xf32>
  }
}
