#include "localdynamo/server.h"
#include "wire/dispatch.h"

namespace localdynamo {

JsonResponse InvokeJson(Database& db, std::string_view target, std::string_view body) {
  auto r = wire::Dispatch(db, target, body);
  return JsonResponse{r.http_status, std::move(r.body)};
}

}  // namespace localdynamo
