"""`make bench` reads wrk's summary: rates, latency percentiles and every kind of error."""

from bench import wrk

OUTPUT = """Running 10s test @ http://127.0.0.1:40123/dialogue/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   983.55ms  400.42ms   1.49s    65.38%
    Req/Sec    10.95      6.16    20.00     52.63%
  Latency Distribution
     50%  850.00us
     75%    1.28ms
     90%    1.43s<sp>
     99%    1.49s<sp>
  260 requests in 10.02s, 19.30MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:     25.95
Transfer/sec:      1.93MB
bench-unexpected-status: 7
""".replace("<sp>", " ")  # wrk pads values in seconds


def test_wrk_summary_gives_rate_and_percentiles_in_milliseconds():
    result = wrk.parse(OUTPUT)
    assert result["requests"] == 260
    assert result["rps"] == 25.95
    assert result["p50_ms"] == 0.85
    assert result["p99_ms"] == 1490.0


def test_wrk_errors_count_socket_errors_and_every_unexpected_status():
    result = wrk.parse(OUTPUT)
    assert result["socket_errors"] == 3
    assert result["non_2xx_3xx"] == 4
    # The Lua script also counts 3xx where a 200 was expected (a lost login redirects).
    assert result["errors"] == 3 + 7


def test_a_clean_wrk_run_has_no_errors():
    clean = OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 4\n", "")
    clean = clean.replace("bench-unexpected-status: 7", "bench-unexpected-status: 0")
    assert wrk.parse(clean)["errors"] == 0
