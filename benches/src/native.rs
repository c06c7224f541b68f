//! The throughput baseline: the same QuickJS (rquickjs 0.14, quickjs-ng)
//! built natively for this machine, running a kernel the way the engine
//! does (evaluate the module, call `main(args)`, drain the job queue), with
//! `console.log` collected into a string.

use rquickjs::{CatchResultExt, Context, Function, Module, Object, Runtime, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// Runs `source`'s `main(args)` in a fresh native QuickJS and returns what
/// it printed with `console.log`.
pub fn run(file_name: &str, source: &str, args: &[String]) -> anyhow::Result<String> {
    let rt = Runtime::new()?;
    let ctx = Context::full(&rt)?;
    let printed = Rc::new(RefCell::new(String::new()));
    let sink = printed.clone();
    ctx.with(|ctx| -> anyhow::Result<()> {
        let console = Object::new(ctx.clone())?;
        console.set(
            "log",
            Function::new(ctx.clone(), move |s: String| {
                let mut p = sink.borrow_mut();
                p.push_str(&s);
                p.push('\n');
            })?,
        )?;
        ctx.globals().set("console", console)?;
        let err = |e| anyhow::anyhow!("{file_name}: {e:?}");
        let module = Module::declare(ctx.clone(), file_name, source)
            .catch(&ctx)
            .map_err(err)?;
        let (module, done) = module.eval().catch(&ctx).map_err(err)?;
        done.finish::<Value>().catch(&ctx).map_err(err)?;
        let main: Function = module.get("main").catch(&ctx).map_err(err)?;
        let result: Value = main.call((args.to_vec(),)).catch(&ctx).map_err(err)?;
        if let Some(p) = result.as_promise() {
            p.finish::<Value>().catch(&ctx).map_err(err)?;
        }
        while ctx.execute_pending_job() {}
        Ok(())
    })?;
    Ok(printed.take())
}
