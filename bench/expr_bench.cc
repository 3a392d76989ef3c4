// Parsing + validating the seed's KeyConditionExpression (target: < 2 µs), beside the cost of
// just lexing it (the floor any parser pays) and of the same request answered from the parse
// the thread remembers (what every Query but the first with a text does).

#include <benchmark/benchmark.h>

#include "expr/expressions.h"
#include "expr/lexer.h"

using namespace localdynamo;

namespace {

const ValueMap kValues = {{":pk", AttributeValue::S("MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399")},
                          {":year", AttributeValue::S("2023")}};
const expr::KeySchemaView kKeys{"pk", ScalarAttributeType::kS, std::string("sk"),
                                ScalarAttributeType::kS};

// What a Query does with its key condition: parse it (or look up the remembered parse) and
// check that every name and value was used.
void ParseAndValidate() {
  expr::Context ctx(nullptr, &kValues);
  auto kc = expr::ParseKeyCondition("pk = :pk AND begins_with(sk,:year)", ctx, kKeys);
  auto used = ctx.CheckAllUsed();
  benchmark::DoNotOptimize(kc);
  benchmark::DoNotOptimize(used);
}

// A fresh parse every time (forgetting the remembered one is part of the loop: ~1 allocation).
void BM_KeyCondition_ParseAndValidate(benchmark::State& state) {
  for (auto _ : state) {
    expr::ForgetKeyConditions();
    ParseAndValidate();
  }
}
BENCHMARK(BM_KeyCondition_ParseAndValidate);

void BM_KeyCondition_Remembered(benchmark::State& state) {
  for (auto _ : state) ParseAndValidate();
}
BENCHMARK(BM_KeyCondition_Remembered);

void BM_KeyCondition_LexOnly(benchmark::State& state) {
  for (auto _ : state) {
    auto tokens = expr::Lex("pk = :pk AND begins_with(sk,:year)");
    benchmark::DoNotOptimize(tokens);
  }
}
BENCHMARK(BM_KeyCondition_LexOnly);

}  // namespace

BENCHMARK_MAIN();
