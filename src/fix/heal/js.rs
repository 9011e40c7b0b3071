//! Just enough JavaScript to read a locator call's arguments: string
//! literals in any of the three quotes (a template with `${…}` is not a
//! literal), regular expression literals, numbers, booleans and flat
//! object literals. Anything else is [`Value::Other`], never a panic.

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Regex { source: String, flags: String },
    Bool(bool),
    Object(Vec<(String, Value)>),
    Other,
}

/// The arguments of a call whose `(` is at `open`, and the index just
/// past its `)`; None when the parentheses do not close.
pub fn call_args(text: &str, open: usize) -> Option<(Vec<Value>, usize)> {
    let mut cursor = Cursor { text, at: open + 1 };
    let mut args = Vec::new();
    loop {
        cursor.skip_space();
        if cursor.eat(')') {
            return Some((args, cursor.at));
        }
        args.push(cursor.value(0)?);
        cursor.skip_space();
        if !cursor.eat(',') && cursor.peek() != Some(')') {
            return None;
        }
    }
}

/// Nesting deeper than this is not a locator argument; stops recursion.
const MAX_DEPTH: usize = 8;

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.at += c.len_utf8();
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            quote @ ('\'' | '"' | '`') => self.string(quote).map(|s| match s {
                Some(s) => Value::Str(s),
                None => Value::Other,
            }),
            '/' => self.regex(),
            '{' => self.object(depth),
            _ => Some(self.word()),
        }
    }

    /// A string literal; Some(None) for a template with a substitution.
    fn string(&mut self, quote: char) -> Option<Option<String>> {
        self.bump();
        let mut out = String::new();
        let mut literal = true;
        loop {
            let c = self.peek()?;
            self.bump();
            match c {
                c if c == quote => return Some(literal.then_some(out)),
                '\\' => {
                    let escaped = self.peek()?;
                    self.bump();
                    out.push(match escaped {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                }
                '$' if quote == '`' && self.peek() == Some('{') => {
                    literal = false;
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }

    fn regex(&mut self) -> Option<Value> {
        self.bump();
        let mut source = String::new();
        let mut in_class = false;
        loop {
            let c = self.peek()?;
            self.bump();
            match c {
                '\\' => {
                    source.push(c);
                    source.push(self.peek()?);
                    self.bump();
                }
                '[' => in_class = true,
                ']' => in_class = false,
                '/' if !in_class => break,
                '\n' => return None,
                _ => {}
            }
            if !matches!(c, '\\') {
                source.push(c);
            }
        }
        let flags = self.identifier();
        Some(Value::Regex { source, flags })
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.bump();
        let mut fields = Vec::new();
        loop {
            self.skip_space();
            if self.eat('}') {
                return Some(Value::Object(fields));
            }
            let key = match self.peek()? {
                quote @ ('\'' | '"') => self.string(quote)??,
                _ => self.identifier(),
            };
            if key.is_empty() {
                return None;
            }
            self.skip_space();
            if !self.eat(':') {
                return None;
            }
            self.skip_space();
            let value = self.value(depth + 1)?;
            fields.push((key, value));
            self.skip_space();
            if !self.eat(',') && self.peek() != Some('}') {
                return None;
            }
        }
    }

    fn identifier(&mut self) -> String {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.bump();
        }
        self.text[start..self.at].to_string()
    }

    /// A bare word (`true`, a number, a variable): anything up to the next
    /// separator, balancing nothing; only the booleans mean something here.
    fn word(&mut self) -> Value {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| !matches!(c, ',' | ')' | '}') && !c.is_whitespace())
        {
            self.bump();
        }
        match &self.text[start..self.at] {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Other,
        }
    }
}
