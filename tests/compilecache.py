"""Each test builds its own app; these caches keep it from compiling the same things again.

Every test gets a fresh Flask app (its own config, database file, blueprints, plugins), and
most of what a fresh app costs is compiling text that is identical in every app of the run:

- werkzeug compiles a URL builder (Python source → ``compile()``) for each of the app's ~200
  routes; the builder is a pure function of the rule's text, its defaults and converter
  types, and calls its own rule's converters at run time (``.self._converters``). One
  compiled builder per distinct rule serves every app of the session.
- werkzeug parses each rule's text into its parts (regular expressions and weights) with a
  regular-expression loop; the parts depend only on the text and the map's converter
  classes. The parse is kept per (text, converter classes); each rule still gets its own
  converter instances from its own map.
- Jinja parses and compiles each template again in each new environment. A shared
  in-memory bytecode cache (Jinja's own mechanism, keyed by template name, file and a
  checksum of the source, here also by the environment's extensions, filters and tests)
  gives later apps the code object the first one compiled.

Nothing else is shared: each app still registers every route and loads every template
through its own loader; a changed template source or a differently configured environment
compiles afresh. Loaded as a pytest plugin by tests/conftest.py.
"""
from hashlib import sha1

from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.routing import Rule


class CompiledOnceRule(Rule):
    """A Rule whose text is parsed, and URL builders compiled, once per distinct rule."""

    builders: dict = {}
    parsed: dict = {}
    _recording = None

    def _parse_rule(self, rule):
        key = (rule, tuple(sorted(self.map.converters.items())))
        hit = self.parsed.get(key)
        if hit is None:
            start, self._recording = len(self._trace), []
            try:
                parts = list(super()._parse_rule(rule))
            finally:
                calls, self._recording = self._recording, None
            self.parsed[key] = (parts, self._trace[start:], calls)
            return parts
        parts, trace, calls = hit
        self._trace.extend(trace)
        for variable, converter, args, kwargs in calls:
            self._converters[variable] = self.get_converter(variable, converter, args, kwargs)
            self.arguments.add(variable)
        return list(parts)

    def get_converter(self, variable_name, converter_name, args, kwargs):
        if self._recording is not None:
            self._recording.append((variable_name, converter_name, args, dict(kwargs)))
        return super().get_converter(variable_name, converter_name, args, kwargs)

    def _compile_builder(self, append_unknown=True):
        key = (self.rule, self.host if self.map.host_matching else self.subdomain,
               tuple(self._trace), append_unknown,
               tuple((name, type(converter)) for name, converter in self._converters.items()),
               tuple((name, repr(value)) for name, value in (self.defaults or {}).items()))
        builder = self.builders.get(key)
        if builder is None:
            builder = self.builders[key] = super()._compile_builder(append_unknown)
        return builder


class SessionBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in memory for the session, per template source and environment."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source):
        env = environment
        shape = repr((sorted(env.extensions), sorted(env.filters), sorted(env.tests),
                      getattr(env.autoescape, "__qualname__", env.autoescape), env.optimized,
                      env.finalize is not None, env.block_start_string, env.variable_start_string,
                      env.comment_start_string, env.line_statement_prefix, env.trim_blocks,
                      env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline))
        key = self.get_cache_key(name, filename) + sha1(shape.encode("utf-8")).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self):
        self.store.clear()


def pytest_configure(config):
    Flask.url_rule_class = CompiledOnceRule
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SessionBytecodeCache()}
