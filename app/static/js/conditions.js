/* OneHall conditions in the browser: visible_when / required_when, evaluated with the same
 * rules as app/defs/expr.py. No eval: a condition is tokenized and parsed by recursive
 * descent into a small tree, then walked. Loaded before form.js (and by the designer). */
(function () {
  "use strict";

  var KEYWORDS = { and: 1, or: 1, not: 1, "in": 1 };
  var LITERALS = { True: true, False: false, None: null, "true": true, "false": false, "null": null };

  function tokenize(text) {
    var tokens = [], i = 0, m;
    var re = /\s+|(\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|[<>+\-*\/().,\[\]])/y;
    while (i < text.length) {
      re.lastIndex = i;
      m = re.exec(text);
      if (!m) throw new Error("bad character at " + (i + 1));
      i = re.lastIndex;
      if (m[1]) tokens.push({ t: "num", v: parseFloat(m[1]) });
      else if (m[2]) tokens.push({ t: "str", v: unquote(m[2]) });
      else if (m[3]) tokens.push(KEYWORDS[m[3]] ? { t: "op", v: m[3] } : { t: "name", v: m[3] });
      else if (m[4]) tokens.push({ t: "op", v: m[4] });
    }
    tokens.push({ t: "end", v: "" });
    return tokens;
  }

  function unquote(s) {
    var map = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
    return s.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, function (_, c) {
      if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
      return map[c] !== undefined ? map[c] : "\\" + c;
    });
  }

  function Parser(text) { this.toks = tokenize(text); this.pos = 0; }
  Parser.prototype.peek = function (v) { var k = this.toks[this.pos]; return v === undefined ? k : (k.t === "op" && k.v === v); };
  Parser.prototype.next = function () { return this.toks[this.pos++]; };
  Parser.prototype.expect = function (v) { if (!this.peek(v)) throw new Error("expected " + v); return this.next(); };

  Parser.prototype.parse = function () {
    var node = this.or_();
    if (this.peek().t !== "end") throw new Error("unexpected " + this.peek().v);
    return node;
  };
  Parser.prototype.or_ = function () {
    var items = [this.and_()];
    while (this.peek("or")) { this.next(); items.push(this.and_()); }
    return items.length > 1 ? { k: "or", items: items } : items[0];
  };
  Parser.prototype.and_ = function () {
    var items = [this.not_()];
    while (this.peek("and")) { this.next(); items.push(this.not_()); }
    return items.length > 1 ? { k: "and", items: items } : items[0];
  };
  Parser.prototype.not_ = function () {
    if (this.peek("not")) { this.next(); return { k: "not", a: this.not_() }; }
    return this.compare();
  };
  Parser.prototype.compareOp = function () {
    var ops = ["==", "!=", "<=", ">=", "<", ">", "in"];
    for (var i = 0; i < ops.length; i++) if (this.peek(ops[i])) return this.next().v;
    var k = this.toks[this.pos + 1];
    if (this.peek("not") && k.t === "op" && k.v === "in") { this.pos += 2; return "not in"; }
    return null;
  };
  Parser.prototype.compare = function () {
    var first = this.sum(), pairs = [], op;
    while ((op = this.compareOp())) pairs.push([op, this.sum()]);
    return pairs.length ? { k: "cmp", first: first, pairs: pairs } : first;
  };
  Parser.prototype.sum = function () {
    var node = this.term();
    while (this.peek("+") || this.peek("-")) node = { k: "arith", op: this.next().v, a: node, b: this.term() };
    return node;
  };
  Parser.prototype.term = function () {
    var node = this.unary();
    while (this.peek("*") || this.peek("/")) node = { k: "arith", op: this.next().v, a: node, b: this.unary() };
    return node;
  };
  Parser.prototype.unary = function () {
    if (this.peek("-") || this.peek("+")) { var s = this.next().v === "-" ? -1 : 1; return { k: "neg", s: s, a: this.unary() }; }
    return this.atom();
  };
  Parser.prototype.atom = function () {
    var tok = this.next();
    if (tok.t === "num" || tok.t === "str") return { k: "const", v: tok.v };
    if (tok.t === "name") {
      if (Object.prototype.hasOwnProperty.call(LITERALS, tok.v)) return { k: "const", v: LITERALS[tok.v] };
      if ((tok.v === "form" || tok.v === "applicant") && this.peek(".")) {
        this.next();
        var attr = this.next();
        if (attr.t !== "name" || attr.v.charAt(0) === "_") throw new Error("bad name");
        return { k: "name", root: tok.v, attr: attr.v };
      }
      if (tok.v === "form" && this.peek("[")) {   /* form["联系人"]: any JSON Schema property name */
        this.next();
        var key = this.next();
        if (key.t !== "str") throw new Error("bad index");
        this.expect("]");
        return { k: "name", root: "form", attr: key.v };
      }
      throw new Error("unknown name " + tok.v);
    }
    if (tok.t === "op" && tok.v === "(") return this.group(")");
    if (tok.t === "op" && tok.v === "[") return this.group("]", true);
    throw new Error("unexpected " + tok.v);
  };
  Parser.prototype.group = function (close, isList) {
    var items = [], tuple = isList;
    while (!this.peek(close)) {
      items.push(this.or_());
      if (!this.peek(",")) break;
      this.next(); tuple = true;
    }
    this.expect(close);
    if (!tuple) { if (items.length !== 1) throw new Error("empty ()"); return items[0]; }
    return { k: "seq", items: items };
  };

  function toNumber(v) {
    if (typeof v === "number") return isFinite(v) ? v : null;
    if (typeof v === "string" && v.trim() !== "" && v.length < 100) {
      var n = Number(v.trim());
      return isFinite(n) ? n : null;
    }
    return null;
  }
  function isNum(v) { return typeof v === "number"; }
  function equal(a, b) {
    if (typeof a === "boolean" && isNum(b)) return Number(a) === b;
    if (typeof b === "boolean" && isNum(a)) return Number(b) === a;
    if (isNum(a) !== isNum(b) && typeof a !== "boolean" && typeof b !== "boolean") {
      var x = toNumber(a), y = toNumber(b);
      if (x !== null && y !== null) return x === y;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (v, i) { return equal(v, b[i]); });
    }
    return a === b;
  }
  function order(op, a, b) {
    var x, y;
    if (typeof a === "string" && typeof b === "string") {
      x = toNumber(a); y = toNumber(b);
      if (x === null || y === null) { x = a; y = b; }
    } else {
      x = typeof a === "boolean" ? null : toNumber(a);
      y = typeof b === "boolean" ? null : toNumber(b);
      if (x === null || y === null) return false;
    }
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }
  function contains(item, box) {
    if (typeof box === "string") return typeof item === "string" && box.indexOf(item) >= 0;
    if (Array.isArray(box)) return box.some(function (e) { return equal(item, e); });
    return false;
  }
  function compareOne(op, a, b) {
    if (op === "==") return equal(a, b);
    if (op === "!=") return !equal(a, b);
    if (op === "in") return contains(a, b);
    if (op === "not in") return !contains(a, b);
    return order(op, a, b);
  }
  function truthy(v) {
    return !(v === null || v === undefined || v === false || v === 0 || v === "" ||
             (Array.isArray(v) && v.length === 0));
  }
  function arith(op, a, b) {
    if (op === "+" && typeof a === "string" && typeof b === "string" && toNumber(a) === null) return a + b;
    var x = toNumber(a), y = toNumber(b);
    if (x === null || y === null) return null;
    if (op === "/") return y === 0 ? null : x / y;
    var r = op === "+" ? x + y : op === "-" ? x - y : x * y;
    return isFinite(r) ? r : null;
  }

  function evaluate(node, ctx) {
    switch (node.k) {
      case "const": return node.v;
      case "name": var scope = ctx[node.root] || {};
        return Object.prototype.hasOwnProperty.call(scope, node.attr) ? scope[node.attr] : null;
      case "seq": return node.items.map(function (n) { return evaluate(n, ctx); });
      case "or": return node.items.some(function (n) { return truthy(evaluate(n, ctx)); });
      case "and": return node.items.every(function (n) { return truthy(evaluate(n, ctx)); });
      case "not": return !truthy(evaluate(node.a, ctx));
      case "neg": var n = toNumber(evaluate(node.a, ctx)); return n === null ? null : node.s * n;
      case "arith": return arith(node.op, evaluate(node.a, ctx), evaluate(node.b, ctx));
      case "cmp":
        var left = evaluate(node.first, ctx);
        for (var i = 0; i < node.pairs.length; i++) {
          var right = evaluate(node.pairs[i][1], ctx);
          if (!compareOne(node.pairs[i][0], left, right)) return false;
          left = right;
        }
        return true;
    }
    return null;
  }

  var cache = {};
  function condition(text) {
    if (!Object.prototype.hasOwnProperty.call(cache, text)) {
      try { cache[text] = new Parser(text).parse(); } catch (e) { cache[text] = null; }
    }
    return cache[text];
  }

  window.OneHallConditions = { parse: function (t) { return new Parser(t).parse(); }, condition: condition,
                               evaluate: evaluate, truthy: truthy, toNumber: toNumber };
})();
