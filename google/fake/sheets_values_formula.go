package fake

import (
	"math"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// formulaEval evaluates the small formula language the fake understands,
// enough for tests to tell a formula from text: number, string and boolean
// literals; references to cells and ranges on the same or a named tab;
// + - * / ^ & = <> < <= > >= and parentheses; and the functions SUM, MIN,
// MAX, COUNT, AVERAGE, CONCATENATE, LEN, UPPER, LOWER, TRIM, IF, AND, OR,
// NOT, ROUND, HYPERLINK. IMPORT* and IMAGE fetch nothing and give #N/A
// ("Could not fetch url"), as Google does for an unreachable address; any
// other function is #NAME?. A formula that does not parse is #ERROR!
// ("Formula parse error."), as in Sheets.
type formulaEval struct {
	ss    *spreadsheet
	tab   *tab
	depth int
	src   string
	pos   int
}

// fval is an intermediate value: a scalar or a range's cells.
type fval struct {
	v    *sheets.ExtendedValue // nil is an empty cell
	list []*sheets.ExtendedValue
	isRg bool
}

type formulaErr struct{ v *sheets.ExtendedValue }

func (e formulaErr) Error() string { return e.v.ErrorValue.Message }

func (fe *formulaEval) run(formula string) (out *sheets.ExtendedValue) {
	fe.src = strings.TrimPrefix(formula, "=")
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(formulaErr)
			if !ok {
				panic(r)
			}
			out = e.v
		}
	}()
	v := fe.compare()
	fe.space()
	if fe.pos < len(fe.src) {
		fe.fail("ERROR", "Formula parse error.")
	}
	s := fe.scalar(v)
	if s == nil {
		zero := 0.0
		return &sheets.ExtendedValue{NumberValue: &zero}
	}
	return s
}

func (fe *formulaEval) fail(typ, msg string) {
	panic(formulaErr{errValue(typ, msg)})
}

func (fe *formulaEval) space() {
	for fe.pos < len(fe.src) && fe.src[fe.pos] == ' ' {
		fe.pos++
	}
}

func (fe *formulaEval) peek(op string) bool {
	fe.space()
	return strings.HasPrefix(fe.src[fe.pos:], op)
}

func (fe *formulaEval) eat(op string) bool {
	if fe.peek(op) {
		fe.pos += len(op)
		return true
	}
	return false
}

func (fe *formulaEval) compare() fval {
	l := fe.concat()
	for _, op := range []string{"<>", "<=", ">=", "=", "<", ">"} {
		if fe.eat(op) {
			r := fe.concat()
			a, b := fe.scalar(l), fe.scalar(r)
			var res bool
			if an, ok := numberOf(a); ok && a != nil && a.StringValue == nil {
				bn, _ := fe.num(fval{v: b})
				res = map[string]bool{"<>": an != bn, "<=": an <= bn, ">=": an >= bn, "=": an == bn, "<": an < bn, ">": an > bn}[op]
			} else {
				as, bs := strings.ToLower(textOf(a)), strings.ToLower(textOf(b))
				res = map[string]bool{"<>": as != bs, "<=": as <= bs, ">=": as >= bs, "=": as == bs, "<": as < bs, ">": as > bs}[op]
			}
			return fval{v: &sheets.ExtendedValue{BoolValue: &res}}
		}
	}
	return l
}

func (fe *formulaEval) concat() fval {
	l := fe.additive()
	for fe.eat("&") {
		r := fe.additive()
		s := textOf(fe.scalar(l)) + textOf(fe.scalar(r))
		l = fval{v: &sheets.ExtendedValue{StringValue: &s}}
	}
	return l
}

func (fe *formulaEval) additive() fval {
	l := fe.term()
	for {
		switch {
		case fe.eat("+"):
			l = fe.arith(l, fe.term(), func(a, b float64) float64 { return a + b })
		case fe.eat("-"):
			l = fe.arith(l, fe.term(), func(a, b float64) float64 { return a - b })
		default:
			return l
		}
	}
}

func (fe *formulaEval) term() fval {
	l := fe.power()
	for {
		switch {
		case fe.eat("*"):
			l = fe.arith(l, fe.power(), func(a, b float64) float64 { return a * b })
		case fe.eat("/"):
			r := fe.power()
			if d, _ := fe.num(r); d == 0 {
				fe.fail("DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.")
			}
			l = fe.arith(l, r, func(a, b float64) float64 { return a / b })
		default:
			return l
		}
	}
}

func (fe *formulaEval) power() fval {
	l := fe.unary()
	for fe.eat("^") {
		l = fe.arith(l, fe.unary(), math.Pow)
	}
	return l
}

func (fe *formulaEval) unary() fval {
	switch {
	case fe.eat("-"):
		return fe.arith(fval{v: numValue(0)}, fe.unary(), func(a, b float64) float64 { return a - b })
	case fe.eat("+"):
		v := fe.unary()
		n, _ := fe.num(v)
		return fval{v: numValue(n)}
	}
	return fe.primary()
}

func (fe *formulaEval) arith(a, b fval, f func(x, y float64) float64) fval {
	x, _ := fe.num(a)
	y, _ := fe.num(b)
	r := f(x, y)
	if math.IsNaN(r) || math.IsInf(r, 0) {
		fe.fail("NUM", "Result out of range.")
	}
	return fval{v: numValue(r)}
}

func numValue(n float64) *sheets.ExtendedValue { return &sheets.ExtendedValue{NumberValue: &n} }

func (fe *formulaEval) primary() fval {
	fe.space()
	if fe.pos >= len(fe.src) {
		fe.fail("ERROR", "Formula parse error.")
	}
	switch ch := fe.src[fe.pos]; {
	case ch == '(':
		fe.pos++
		v := fe.compare()
		if !fe.eat(")") {
			fe.fail("ERROR", "Formula parse error.")
		}
		return v
	case ch == '"':
		end := fe.pos + 1
		var b strings.Builder
		for ; end < len(fe.src); end++ {
			if fe.src[end] == '"' {
				if end+1 < len(fe.src) && fe.src[end+1] == '"' {
					b.WriteByte('"')
					end++
					continue
				}
				break
			}
			b.WriteByte(fe.src[end])
		}
		if end >= len(fe.src) {
			fe.fail("ERROR", "Formula parse error.")
		}
		fe.pos = end + 1
		s := b.String()
		return fval{v: &sheets.ExtendedValue{StringValue: &s}}
	case ch >= '0' && ch <= '9' || ch == '.':
		end := fe.pos
		for end < len(fe.src) && strings.IndexByte("0123456789.eE", fe.src[end]) >= 0 {
			end++
		}
		n, err := strconv.ParseFloat(fe.src[fe.pos:end], 64)
		if err != nil {
			fe.fail("ERROR", "Formula parse error.")
		}
		fe.pos = end
		return fval{v: numValue(n)}
	}
	return fe.nameOrRef()
}

// nameOrRef reads a function call, TRUE/FALSE or a (possibly sheet-
// qualified) cell or range reference.
func (fe *formulaEval) nameOrRef() fval {
	start := fe.pos
	if fe.src[fe.pos] == '\'' {
		_, rest, ok := unquoteSheetName(fe.src[fe.pos:])
		if !ok || !strings.HasPrefix(rest, "!") {
			fe.fail("ERROR", "Formula parse error.")
		}
		fe.pos = len(fe.src) - len(rest) + 1
	}
	for fe.pos < len(fe.src) && (isASCIILetter(fe.src[fe.pos]) || fe.src[fe.pos] >= '0' && fe.src[fe.pos] <= '9' ||
		strings.IndexByte("_.!$:", fe.src[fe.pos]) >= 0) {
		fe.pos++
	}
	word := fe.src[start:fe.pos]
	if word == "" {
		fe.fail("ERROR", "Formula parse error.")
	}
	if fe.peek("(") {
		fe.pos++
		return fe.call(strings.ToUpper(word))
	}
	switch strings.ToUpper(word) {
	case "TRUE", "FALSE":
		b := strings.EqualFold(word, "TRUE")
		return fval{v: &sheets.ExtendedValue{BoolValue: &b}}
	}
	br, err := fe.ss.parseA1(fe.qualify(strings.ReplaceAll(word, "$", "")))
	if err != nil {
		fe.fail("NAME", "Unknown range name: '"+word+"'.")
	}
	br, ok := br.clip()
	if !ok {
		fe.fail("REF", "Reference does not exist.")
	}
	if br.row1-br.row0 == 1 && br.col1-br.col0 == 1 {
		return fval{v: fe.ss.evalCellDepth(br.tab, br.row0, br.col0, fe.depth).value}
	}
	out := fval{isRg: true}
	for r := br.row0; r < br.row1; r++ {
		for c := br.col0; c < br.col1; c++ {
			out.list = append(out.list, fe.ss.evalCellDepth(br.tab, r, c, fe.depth).value)
		}
	}
	return out
}

// qualify makes an unqualified reference point at the formula's own tab.
func (fe *formulaEval) qualify(ref string) string {
	if strings.Contains(ref, "!") {
		return ref
	}
	return quoteSheetName(fe.tab.props.Title) + "!" + ref
}

func (fe *formulaEval) call(name string) fval {
	var args []fval
	if !fe.eat(")") {
		for {
			args = append(args, fe.compare())
			if fe.eat(")") {
				break
			}
			if !fe.eat(",") {
				fe.fail("ERROR", "Formula parse error.")
			}
		}
	}
	nums := func() []float64 {
		var out []float64
		for _, a := range args {
			items := a.list
			if !a.isRg {
				items = []*sheets.ExtendedValue{a.v}
			}
			for _, it := range items {
				if it != nil && it.ErrorValue != nil {
					panic(formulaErr{it})
				}
				if n, ok := numberOf(it); ok && (it == nil || it.StringValue == nil) && it != nil {
					out = append(out, n)
				}
			}
		}
		return out
	}
	text := func(i int) string {
		if i >= len(args) {
			return ""
		}
		return textOf(fe.scalar(args[i]))
	}
	str := func(s string) fval { return fval{v: &sheets.ExtendedValue{StringValue: &s}} }
	boolean := func(b bool) fval { return fval{v: &sheets.ExtendedValue{BoolValue: &b}} }
	switch name {
	case "SUM", "MIN", "MAX", "COUNT", "AVERAGE":
		ns := nums()
		var r float64
		switch name {
		case "SUM":
			for _, n := range ns {
				r += n
			}
		case "MIN", "MAX":
			for i, n := range ns {
				if i == 0 || name == "MIN" && n < r || name == "MAX" && n > r {
					r = n
				}
			}
		case "COUNT":
			r = float64(len(ns))
		case "AVERAGE":
			if len(ns) == 0 {
				fe.fail("DIVIDE_BY_ZERO", "Evaluation of function AVERAGE caused a divide by zero error.")
			}
			for _, n := range ns {
				r += n
			}
			r /= float64(len(ns))
		}
		return fval{v: numValue(r)}
	case "CONCATENATE":
		var b strings.Builder
		for i := range args {
			b.WriteString(text(i))
		}
		return str(b.String())
	case "LEN":
		return fval{v: numValue(float64(len([]rune(text(0)))))}
	case "UPPER":
		return str(strings.ToUpper(text(0)))
	case "LOWER":
		return str(strings.ToLower(text(0)))
	case "TRIM":
		return str(strings.Join(strings.Fields(text(0)), " "))
	case "HYPERLINK":
		if len(args) > 1 {
			return str(text(1))
		}
		return str(text(0))
	case "ROUND":
		n, _ := fe.num(args[0])
		d := 0.0
		if len(args) > 1 {
			d, _ = fe.num(args[1])
		}
		p := math.Pow(10, d)
		return fval{v: numValue(math.Round(n*p) / p)}
	case "IF":
		if len(args) < 2 {
			fe.fail("N_A", "Wrong number of arguments to IF.")
		}
		if fe.truth(args[0]) {
			return args[1]
		}
		if len(args) > 2 {
			return args[2]
		}
		return boolean(false)
	case "AND", "OR":
		res := name == "AND"
		for _, a := range args {
			if name == "AND" {
				res = res && fe.truth(a)
			} else {
				res = res || fe.truth(a)
			}
		}
		return boolean(res)
	case "NOT":
		return boolean(len(args) > 0 && !fe.truth(args[0]))
	case "IMPORTDATA", "IMPORTXML", "IMPORTHTML", "IMPORTFEED", "IMPORTRANGE", "IMAGE":
		fe.fail("N_A", "Could not fetch url: "+text(0))
	}
	fe.fail("NAME", "Unknown function: '"+strings.ToLower(name)+"'.")
	return fval{}
}

func (fe *formulaEval) truth(a fval) bool {
	v := fe.scalar(a)
	if v != nil && v.BoolValue != nil {
		return *v.BoolValue
	}
	n, _ := fe.num(a)
	return n != 0
}

// scalar reduces a range to its first cell and propagates errors.
func (fe *formulaEval) scalar(a fval) *sheets.ExtendedValue {
	v := a.v
	if a.isRg {
		if len(a.list) == 0 {
			return nil
		}
		v = a.list[0]
	}
	if v != nil && v.ErrorValue != nil {
		panic(formulaErr{v})
	}
	return v
}

// num coerces to a number as arithmetic does; text that is not a number
// is #VALUE!.
func (fe *formulaEval) num(a fval) (float64, bool) {
	v := fe.scalar(a)
	n, ok := numberOf(v)
	if !ok {
		fe.fail("VALUE", "Function expects number values. But '"+textOf(v)+"' is a text and cannot be coerced to a number.")
	}
	return n, ok
}

func numberOf(v *sheets.ExtendedValue) (float64, bool) {
	switch {
	case v == nil:
		return 0, true
	case v.NumberValue != nil:
		return *v.NumberValue, true
	case v.BoolValue != nil:
		if *v.BoolValue {
			return 1, true
		}
		return 0, true
	case v.StringValue != nil:
		n, err := strconv.ParseFloat(strings.TrimSpace(*v.StringValue), 64)
		return n, err == nil
	}
	return 0, false
}

func textOf(v *sheets.ExtendedValue) string {
	if v == nil {
		return ""
	}
	return formatValue(v, nil)
}
