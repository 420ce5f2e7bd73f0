#include "db/pg/libpq.h"

#include <dlfcn.h>

#include <mutex>

namespace shopctl::db::pg {

const Libpq* load_libpq(std::string& error) {
    static Libpq lib;
    static std::string load_error;
    static bool loaded = false;
    static std::once_flag once;
    std::call_once(once, [] {
        void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            load_error = std::string("cannot load libpq (install libpq5): ") + dlerror();
            return;
        }
        bool all = true;
#define SHOPCTL_LIBPQ_BIND(name)                                                            \
    lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(handle, #name));                  \
    all = all && lib.name != nullptr;
        SHOPCTL_LIBPQ_FUNCTIONS(SHOPCTL_LIBPQ_BIND)
#undef SHOPCTL_LIBPQ_BIND
        if (!all) {
            load_error = "libpq.so.5 lacks a function shopctl needs";
            return;
        }
        loaded = true;
    });
    error = load_error;
    return loaded ? &lib : nullptr;
}

}  // namespace shopctl::db::pg
