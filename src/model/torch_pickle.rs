//! Float tensors out of a PyTorch checkpoint in torch's legacy (pre-1.6, non-zip) format,
//! without Python: the voice encoder ships only as such a file.
//!
//! The legacy format is a run of pickles (a magic number, the protocol version, system
//! facts, the checkpoint itself, then the list of storage keys) followed by each storage's
//! raw data, in the order of that list, each preceded by its element count as a
//! little-endian i64. In the checkpoint a tensor is a call of
//! `torch._utils._rebuild_tensor_v2(storage, offset, shape, stride, …)` whose storage is a
//! persistent id `('storage', torch.FloatStorage, key, device, size, None)`; several
//! tensors may view one storage (cuDNN packs an LSTM's weights into one).
//!
//! Only the pickle opcodes such a checkpoint uses are read; anything else (in particular
//! every opcode that could import or call arbitrary code) is refused, naming the file. The
//! only calls evaluated are `OrderedDict()` and `_rebuild_tensor_v2`.

use super::error::ModelError;
use std::collections::HashMap;
use std::path::Path;

/// The magic number torch's legacy serialiser writes first.
const MAGIC: u128 = 0x1950a86a20f9469cfc6c;

/// A tensor of the checkpoint, its values copied out in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// What a pickle value can be here.
#[derive(Debug, Clone)]
enum Value {
    None,
    Bool,
    Int(i64),
    BigInt(u128),
    Float,
    Str(String),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// `module.name`, as GLOBAL named it.
    Global(String),
    /// A float storage, by its key.
    Storage(String),
    /// A view of a storage: key, offset, shape, stride (in elements).
    TensorRef(String, usize, Vec<usize>, Vec<usize>),
}

/// A pickle being read: the bytes of the whole file and the position in them.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    fn bad(&self, why: impl std::fmt::Display) -> ModelError {
        ModelError::bad(
            self.path,
            format!(
                "{why} (at byte {}); it is not the PyTorch checkpoint callgrade expects, get the \
                 package again",
                self.pos
            ),
        )
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| ModelError::Truncated {
                path: self.path.to_path_buf(),
                what: "its checkpoint".to_string(),
                needed: (self.pos + n) as u64,
                actual: self.bytes.len() as u64,
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }

    fn line(&mut self) -> Result<String, ModelError> {
        let rest = &self.bytes[self.pos..];
        let n = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| self.bad("a pickle name has no end"))?;
        let s = String::from_utf8_lossy(&rest[..n]).into_owned();
        self.pos += n + 1;
        Ok(s)
    }

    /// One pickle, from its PROTO opcode to its STOP.
    fn pickle(&mut self) -> Result<Value, ModelError> {
        let mut stack: Vec<Value> = Vec::new();
        let mut marks: Vec<usize> = Vec::new();
        let mut memo: HashMap<u32, Value> = HashMap::new();
        loop {
            let at = self.pos;
            let op = self.u8()?;
            let underflow = |r: &Reader| r.bad(format!("pickle opcode 0x{op:02x} finds no value"));
            match op {
                0x80 => {
                    // PROTO: torch's legacy files use protocol 2.
                    let v = self.u8()?;
                    if v > 2 {
                        return Err(self.bad(format!("it is pickle protocol {v}, not 2")));
                    }
                }
                b'.' => return stack.pop().ok_or_else(|| underflow(self)),
                b'(' => marks.push(stack.len()),
                b'N' => stack.push(Value::None),
                0x88 | 0x89 => stack.push(Value::Bool),
                b'K' => stack.push(Value::Int(i64::from(self.u8()?))),
                b'M' => {
                    let b = self.take(2)?;
                    stack.push(Value::Int(i64::from(u16::from_le_bytes([b[0], b[1]]))));
                }
                b'J' => stack.push(Value::Int(i64::from(self.u32()? as i32))),
                0x8a => {
                    // LONG1: little-endian two's complement of n bytes.
                    let n = usize::from(self.u8()?);
                    if n > 16 {
                        return Err(self.bad("an integer is longer than 16 bytes"));
                    }
                    let mut b = [0u8; 16];
                    b[..n].copy_from_slice(self.take(n)?);
                    stack.push(Value::BigInt(u128::from_le_bytes(b)));
                }
                b'G' => {
                    self.take(8)?;
                    stack.push(Value::Float);
                }
                b'X' => {
                    let n = self.u32()? as usize;
                    let s = String::from_utf8(self.take(n)?.to_vec())
                        .map_err(|_| self.bad("a string is not UTF-8"))?;
                    stack.push(Value::Str(s));
                }
                b'c' => {
                    let module = self.line()?;
                    let name = self.line()?;
                    stack.push(Value::Global(format!("{module}.{name}")));
                }
                b')' => stack.push(Value::Tuple(Vec::new())),
                b']' => stack.push(Value::List(Vec::new())),
                b'}' => stack.push(Value::Dict(Vec::new())),
                0x85..=0x87 => {
                    let n = usize::from(op - 0x84);
                    if stack.len() < n {
                        return Err(underflow(self));
                    }
                    let items = stack.split_off(stack.len() - n);
                    stack.push(Value::Tuple(items));
                }
                b't' | b'e' | b'u' => {
                    let m = marks.pop().ok_or_else(|| self.bad("a MARK is missing"))?;
                    let items = stack.split_off(m.min(stack.len()));
                    if op == b't' {
                        stack.push(Value::Tuple(items));
                    } else {
                        let target = stack.last_mut().ok_or_else(|| underflow(self))?;
                        extend(target, items).map_err(|w| self.bad(w))?;
                    }
                }
                b'a' | b's' => {
                    let n = if op == b'a' { 1 } else { 2 };
                    if stack.len() < n + 1 {
                        return Err(underflow(self));
                    }
                    let items = stack.split_off(stack.len() - n);
                    let target = stack.last_mut().expect("checked");
                    extend(target, items).map_err(|w| self.bad(w))?;
                }
                b'q' => {
                    let k = u32::from(self.u8()?);
                    memo.insert(k, stack.last().cloned().ok_or_else(|| underflow(self))?);
                }
                b'r' => {
                    let k = self.u32()?;
                    memo.insert(k, stack.last().cloned().ok_or_else(|| underflow(self))?);
                }
                b'h' | b'j' => {
                    let k = if op == b'h' {
                        u32::from(self.u8()?)
                    } else {
                        self.u32()?
                    };
                    let v = memo.get(&k).cloned().ok_or_else(|| {
                        self.bad(format!("memo entry {k} is read before written"))
                    })?;
                    stack.push(v);
                }
                b'Q' => {
                    let pid = stack.pop().ok_or_else(|| underflow(self))?;
                    let storage = storage(pid).map_err(|w| self.bad(w))?;
                    stack.push(storage);
                }
                b'R' => {
                    let args = stack.pop().ok_or_else(|| underflow(self))?;
                    let f = stack.pop().ok_or_else(|| underflow(self))?;
                    stack.push(call(f, args).map_err(|w| self.bad(w))?);
                }
                b'b' => {
                    // BUILD: an OrderedDict's `_metadata` attribute, which says nothing about
                    // the weights.
                    stack.pop().ok_or_else(|| underflow(self))?;
                    if stack.is_empty() {
                        return Err(underflow(self));
                    }
                }
                _ => {
                    self.pos = at;
                    return Err(self.bad(format!(
                        "it uses pickle opcode 0x{op:02x}, which callgrade does not read"
                    )));
                }
            }
        }
    }
}

fn extend(target: &mut Value, items: Vec<Value>) -> Result<(), String> {
    match target {
        Value::List(l) => l.extend(items),
        Value::Dict(d) => {
            if !items.len().is_multiple_of(2) {
                return Err("a dict is given a key without a value".to_string());
            }
            let mut it = items.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                d.push((k, v));
            }
        }
        _ => return Err("items are added to something that is not a list or dict".to_string()),
    }
    Ok(())
}

fn int(v: &Value) -> Option<usize> {
    match v {
        Value::Int(i) => usize::try_from(*i).ok(),
        _ => None,
    }
}

fn ints(v: &Value) -> Option<Vec<usize>> {
    match v {
        Value::Tuple(t) => t.iter().map(int).collect(),
        _ => None,
    }
}

/// `('storage', torch.FloatStorage, key, device, size, None)` → the storage.
fn storage(pid: Value) -> Result<Value, String> {
    if let Value::Tuple(t) = &pid
        && let [
            Value::Str(kind),
            Value::Global(ty),
            Value::Str(key),
            _,
            _,
            _,
        ] = &t[..]
        && kind == "storage"
    {
        if ty != "torch.FloatStorage" {
            return Err(format!(
                "it holds a {ty}, and only float32 tensors are read"
            ));
        }
        return Ok(Value::Storage(key.clone()));
    }
    Err("a persistent id is not a torch storage".to_string())
}

/// The two calls a state dict needs; any other is refused.
fn call(f: Value, args: Value) -> Result<Value, String> {
    let Value::Global(name) = f else {
        return Err("a call of something that is not a named function".to_string());
    };
    let Value::Tuple(args) = args else {
        return Err(format!("{name} is called without an argument tuple"));
    };
    match name.as_str() {
        "collections.OrderedDict" if args.is_empty() => Ok(Value::Dict(Vec::new())),
        "torch._utils._rebuild_tensor_v2" => {
            let (Some(Value::Storage(key)), Some(offset), Some(shape), Some(stride)) = (
                args.first(),
                args.get(1).and_then(int),
                args.get(2).and_then(ints),
                args.get(3).and_then(ints),
            ) else {
                return Err("a tensor is rebuilt from unexpected arguments".to_string());
            };
            if shape.len() != stride.len() {
                return Err("a tensor's shape and stride differ in length".to_string());
            }
            Ok(Value::TensorRef(key.clone(), offset, shape, stride))
        }
        _ => Err(format!("it calls {name}, which callgrade does not run")),
    }
}

fn lookup<'v>(d: &'v Value, key: &str) -> Option<&'v Value> {
    match d {
        Value::Dict(items) => items
            .iter()
            .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The tensors of the state dict under `state_key` in the legacy torch checkpoint `bytes`
/// (read from `path`, which errors name), by name.
pub fn read_state_dict(
    bytes: &[u8],
    state_key: &str,
    path: &Path,
) -> Result<HashMap<String, Tensor>, ModelError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        path,
    };
    if !matches!(r.pickle()?, Value::BigInt(MAGIC)) {
        return Err(r.bad("it does not start with torch's magic number"));
    }
    r.pickle()?; // protocol version
    r.pickle()?; // system facts (endianness was little on every machine torch ran on)
    let checkpoint = r.pickle()?;
    let Value::List(keys) = r.pickle()? else {
        return Err(r.bad("its list of storages is missing"));
    };
    let mut data: HashMap<String, &[u8]> = HashMap::new();
    for k in keys {
        let Value::Str(k) = k else {
            return Err(r.bad("a storage key is not a string"));
        };
        let n = u64::from_le_bytes(r.take(8)?.try_into().expect("8"));
        let n = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_mul(4))
            .ok_or_else(|| r.bad("a storage is too large"))?;
        data.insert(k, r.take(n)?);
    }
    let Some(Value::Dict(state)) = lookup(&checkpoint, state_key) else {
        return Err(r.bad(format!("its checkpoint has no {state_key}")));
    };
    let mut out = HashMap::new();
    for (name, t) in state {
        let (Value::Str(name), Value::TensorRef(key, offset, shape, stride)) = (name, t) else {
            return Err(r.bad(format!("{state_key} holds something that is not a tensor")));
        };
        let raw = data
            .get(key)
            .ok_or_else(|| r.bad(format!("tensor {name}'s storage {key} has no data")))?;
        let count: usize = shape.iter().product();
        let mut values = Vec::with_capacity(count);
        for i in 0..count {
            // Row-major index i → element offset through the strides.
            let (mut rest, mut at) = (i, *offset);
            for (d, s) in shape.iter().zip(stride).rev() {
                at += (rest % d) * s;
                rest /= d;
            }
            let b = raw
                .get(4 * at..4 * at + 4)
                .ok_or_else(|| r.bad(format!("tensor {name} lies outside its storage")))?;
            values.push(f32::from_le_bytes(b.try_into().expect("4")));
        }
        out.insert(
            name.clone(),
            Tensor {
                shape: shape.clone(),
                data: values,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pickle_that_could_run_code_is_refused_naming_the_file() {
        // Protocol 2, then GLOBAL os.system and REDUCE: what a malicious pickle does. And one
        // with an opcode torch never writes (protocol 4's FRAME).
        let path = Path::new("models/.cache/evil.pt");
        let call = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02R.";
        let e = read_state_dict(call, "model_state", path)
            .unwrap_err()
            .to_string();
        assert!(e.contains("evil.pt") && e.contains("os.system"), "{e}");
        let frame = b"\x80\x02\x95\x00\x00\x00\x00\x00\x00\x00\x00.";
        let e = read_state_dict(frame, "model_state", path)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("evil.pt") && e.contains("opcode 0x95") && e.contains("get the package"),
            "{e}"
        );
    }
}
