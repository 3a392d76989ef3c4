"""Builds and runs tests/consumer (a program on the public API, the one README shows) the ways
another project gets localdynamo, each as a separate CMake project in a fresh directory:

  run.py package BUILD       `cmake --install BUILD`, then find_package(localdynamo) and
                             pkg-config against that prefix; only public headers installed
  run.py subdirectory SRC    add_subdirectory(SRC), as a shared library (BUILD_SHARED_LIBS=ON):
                             a SONAME, and no internal symbol exported; nothing but the
                             library built (no tests, benchmarks or CLI; no Google Benchmark)
  run.py fetchcontent SRC    FetchContent from the git repository SRC at its HEAD commit (what
                             a user fetching a release gets: the committed files)
  run.py deb BUILD           `cpack -G DEB` in BUILD; the package's contents extracted and its
                             `localdynamo` run: --version, and `serve` answering boto3

The library builds of subdirectory/fetchcontent use no optimisation and no debug info (the
slowest part of this test is compiling; ~2.5 minutes each on 2 cores).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
JOBS = str(os.cpu_count() or 2)
# The library's internals (src/): none of their symbols may be exported from the shared library.
INTERNAL = re.compile(r"^(typeinfo for |typeinfo name for |vtable for |VTT for |guard variable for )?"
                      r"localdynamo::(engine|storage|wire|server|expr|partiql|errors|types)::"
                      r"|nlohmann|\bfmt::|^mdb_")


def run(*cmd, cwd=None, env=None, capture=False):
    print("+", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                       stdout=subprocess.PIPE if capture else None)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}")
    return r.stdout


def project_version():
    text = open(os.path.join(ROOT, "CMakeLists.txt")).read()
    return re.search(r"project\(localdynamo VERSION ([\d.]+)", text).group(1)


def check_program(path, env=None):
    """The consumer's output: the stream record, the queried item, the library's version."""
    out = run(path, capture=True, env=env)
    expected = f"INSERT 2023-03-20T10:00:00Z\nHello\nlocaldynamo {project_version()}\n"
    if out != expected:
        sys.exit(f"{path} printed {out!r}, expected {expected!r}")


def build_consumer(work, *cmake_args, env=None):
    build = os.path.join(work, "consumer-build")
    launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []
    run("cmake", "-S", HERE, "-B", build, "-DCMAKE_BUILD_TYPE=", *launcher, *cmake_args, env=env)
    run("cmake", "--build", build, "-j", JOBS, env=env)
    return build


def check_readme_shows_program():
    """README's embedding example is this program, character for character."""
    readme = open(os.path.join(ROOT, "README.md")).read()
    m = re.search(r"<!-- tests/consumer/main.cc -->\n```cpp\n(.*?)```", readme, re.S)
    if not m or m.group(1) != open(os.path.join(HERE, "main.cc")).read():
        sys.exit("README.md's example (after <!-- tests/consumer/main.cc -->) differs from tests/consumer/main.cc")


def package(build_dir, work):
    check_readme_shows_program()
    prefix = os.path.join(work, "prefix")
    run("cmake", "--install", build_dir, "--prefix", prefix)
    # Only the public headers: each installed header is include/localdynamo's or the generated one.
    public = set(os.listdir(os.path.join(ROOT, "include", "localdynamo"))) | {"version.h"}
    for dirpath, _, files in os.walk(os.path.join(prefix, "include")):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), os.path.join(prefix, "include"))
            if os.path.dirname(rel) != "localdynamo" or f not in public:
                sys.exit(f"installed a header that is not public: include/{rel}")
    build = build_consumer(work, f"-DCMAKE_PREFIX_PATH={prefix}", "-DLOCALDYNAMO_VIA=package")
    check_program(os.path.join(build, "consumer"))
    out = run(os.path.join(prefix, "bin", "localdynamo"), "--version", capture=True)
    if out.strip() != f"localdynamo {project_version()}":
        sys.exit(f"localdynamo --version printed {out!r}")
    # pkg-config, as a Makefile would use it.
    pc_env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    flags = run("pkg-config", "--cflags", "--libs", "--static", "localdynamo", env=pc_env, capture=True).split()
    exe = os.path.join(work, "consumer-pkg-config")
    run("c++", os.path.join(HERE, "main.cc"), "-o", exe, *flags)
    check_program(exe)


def subdirectory(source, work):
    build = build_consumer(work, "-DLOCALDYNAMO_VIA=subdirectory", f"-DLOCALDYNAMO_SOURCE={source}",
                           "-DBUILD_SHARED_LIBS=ON")
    check_program(os.path.join(build, "consumer"))
    lib_dir = os.path.join(build, "localdynamo")
    for unwanted in ("test_engine", "engine_bench", "localdynamo"):  # a test, a benchmark, the CLI
        if os.path.isfile(os.path.join(lib_dir, unwanted)):
            sys.exit(f"add_subdirectory built {unwanted}: only the library should be built")
    so = os.path.join(lib_dir, "liblocaldynamo.so")
    dynamic = run("readelf", "-d", so, capture=True)
    major_minor = ".".join(project_version().split(".")[:2])
    if f"Library soname: [liblocaldynamo.so.{major_minor}]" not in dynamic:
        sys.exit(f"no SONAME liblocaldynamo.so.{major_minor}:\n{dynamic}")
    symbols = run("nm", "-D", "--defined-only", "-C", "--format=just-symbols", so, capture=True).splitlines()
    leaked = [s for s in symbols if INTERNAL.search(s)]
    if leaked:
        sys.exit("internal symbols exported from liblocaldynamo.so:\n" + "\n".join(leaked[:20]))
    if not any(s.startswith("localdynamo::Database::Open(") for s in symbols):
        sys.exit("localdynamo::Database::Open is not exported")
    print(f"{len(symbols)} exported symbols, none internal")


def fetchcontent(source, work):
    if not os.path.exists(os.path.join(source, ".git")):
        print(f"{source} is not a git checkout: FetchContent needs one")
        sys.exit(77)
    head = run("git", "-C", source, "rev-parse", "HEAD", capture=True).strip()
    build = build_consumer(work, "-DLOCALDYNAMO_VIA=fetchcontent", f"-DLOCALDYNAMO_GIT={source}",
                           f"-DLOCALDYNAMO_GIT_TAG={head}")
    check_program(os.path.join(build, "consumer"))


def deb(build_dir, work):
    out = os.path.join(work, "packages")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(work, "root"), ignore_errors=True)
    run("cpack", "-G", "DEB", "-B", out, cwd=build_dir)
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    if len(debs) != 1:
        sys.exit(f"expected one .deb in {out}: {os.listdir(out)}")
    package_file = os.path.join(out, debs[0])
    depends = run("dpkg-deb", "--field", package_file, "Depends", capture=True)
    if "liblmdb0" not in depends:
        sys.exit(f"the package's Depends lacks liblmdb0: {depends!r}")
    root = os.path.join(work, "root")
    run("dpkg-deb", "-x", package_file, root)
    binary = os.path.join(root, "usr", "bin", "localdynamo")
    for path in ("usr/include/localdynamo/database.h", "usr/lib/cmake/localdynamo/localdynamoConfig.cmake",
                 "usr/lib/pkgconfig/localdynamo.pc", "usr/share/doc/localdynamo/LICENSE"):
        if not os.path.exists(os.path.join(root, path)):
            sys.exit(f"the package lacks /{path}")
    out = run(binary, "--version", capture=True)
    if out.strip() != f"localdynamo {project_version()}":
        sys.exit(f"localdynamo --version printed {out!r}")
    sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
    from server_fixture import Server
    import boto3
    with Server(binary, "--in-memory") as server:
        client = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")
        client.create_table(TableName="packaged", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                            BillingMode="PAY_PER_REQUEST")
        if client.list_tables()["TableNames"] != ["packaged"]:
            sys.exit("the packaged server did not list its table")
    print(f"{debs[0]}: Depends: {depends.strip()}")


def main():
    # LD_CONSUMER_WORK=DIR: work there and keep it (a rerun then finds ccache's objects).
    if len(sys.argv) != 3 or sys.argv[1] not in ("package", "subdirectory", "fetchcontent", "deb"):
        sys.exit(__doc__)
    mode, path = sys.argv[1], os.path.abspath(sys.argv[2])
    if os.environ.get("LD_CONSUMER_WORK"):
        work = os.path.join(os.environ["LD_CONSUMER_WORK"], mode)
        shutil.rmtree(os.path.join(work, "prefix"), ignore_errors=True)
        os.makedirs(work, exist_ok=True)
        globals()[mode](path, work)
    else:
        with tempfile.TemporaryDirectory(prefix=f"ld-consumer-{mode}-") as work:
            globals()[mode](path, work)
    print(f"consumer {mode}: ok")


if __name__ == "__main__":
    main()
