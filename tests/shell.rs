//! What a shell user expects of a command-line tool: completions that load, a man page, and
//! colour that `--color`, `NO_COLOR` and `CLICOLOR_FORCE` decide.

mod common;

use common::exlint;
use predicates::prelude::*;

fn stdout_of(command: &mut assert_cmd::Command) -> String {
    let output = command.output().unwrap();
    assert!(output.status.code().is_some_and(|code| code <= 1), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(exlint().args(["completions", shell]));
        assert!(script.contains("exlint"), "{shell}: {script}");
        assert!(script.contains("max-decompressed-size"), "{shell} completes the options of check");
    }
    exlint().args(["completions", "tcsh"]).assert().code(2).stderr(predicate::str::contains("bash"));
}

#[test]
fn bash_completion_loads_in_bash() {
    let Some(bash) = common::outside_tool(&["bash"], None, "apt-get install bash") else { return };
    let exe = env!("CARGO_BIN_EXE_exlint");
    let script = format!("source <('{exe}' completions bash) && complete -p exlint");
    let output = std::process::Command::new(&bash).args(["-c", &script]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let registered = String::from_utf8(output.stdout).unwrap();
    assert!(registered.starts_with("complete ") && registered.trim_end().ends_with(" exlint"), "{registered}");
    // The function completes subcommands.
    let script = format!(
        "source <('{exe}' completions bash); COMP_WORDS=(exlint com); COMP_CWORD=1; _exlint exlint com exlint; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let output = std::process::Command::new(&bash).args(["-c", &script]).output().unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "completions");
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let page = stdout_of(exlint().arg("man"));
    assert!(page.contains(".TH exlint 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "{section} missing:\n{page}");
    }
    for subcommand in ["check", "rules", "explain", "completions", "man"] {
        assert!(page.contains(&format!("exlint\\-{subcommand}")), "{subcommand} missing:\n{page}");
        let own = stdout_of(exlint().args(["man", subcommand]));
        assert!(own.contains(&format!(".TH exlint-{subcommand} 1")), "{subcommand}'s own page:\n{own}");
    }
    let check = stdout_of(exlint().args(["man", "check"]));
    assert!(check.contains("max\\-decompressed\\-size"), "{check}");
    exlint()
        .args(["man", "nothing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no subcommand named `nothing`"));
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    const ESCAPE: &str = "\u{1b}[";
    let coloured = |args: &[&str], environment: &[(&str, &str)]| {
        let mut command = exlint();
        command.args(["check", "samples/contoso.ldf"]).args(args).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (name, value) in environment {
            command.env(name, value);
        }
        stdout_of(&mut command).contains(ESCAPE)
    };
    assert!(!coloured(&[], &[]), "a pipe is plain by default");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]), "the flag wins over the environment");
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]), "CLICOLOR_FORCE colours a pipe");
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]), "CLICOLOR_FORCE=0 does not");
    assert!(!coloured(&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]), "NO_COLOR wins over CLICOLOR_FORCE");
    assert!(coloured(&[], &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")]), "an empty NO_COLOR is not set");
    // Errors on standard error follow the same choice.
    exlint()
        .args(["check", "absent.ldf", "--color", "always"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(ESCAPE));
    exlint()
        .args(["check", "absent.ldf", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(ESCAPE).not());
}

#[test]
fn the_man_page_renders_without_warnings() {
    let Some(groff) = common::outside_tool(&["groff"], None, "apt-get install groff-base") else { return };
    let page = stdout_of(exlint().arg("man"));
    let mut render = std::process::Command::new(groff)
        .args(["-man", "-Tutf8", "-ww", "-P", "-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut render.stdin.take().unwrap(), page.as_bytes()).unwrap();
    let output = render.wait_with_output().unwrap();
    assert!(output.status.success() && output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("NAME") && text.contains("completions"), "{text}");
}
