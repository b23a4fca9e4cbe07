use crate::exchange::Server;
use crate::finding::{Finding, Severity};

use super::setting::{Verdict, virtual_server_setting};
use super::{Check, Context, Origin, needs};

declare_rule! {
    /// ## What it finds
    /// An Exchange 2000/2003 SMTP virtual server whose queue directory,
    /// `msExchSmtpQueueDirectory`, is on the drive Windows is installed on.
    ///
    /// This is approximate. ExBPA asks the server (WMI) which drive Windows is on; an export
    /// does not say, so exlint assumes `C:` unless `--system-drive` (or `system-drive` in
    /// `exlint.toml`) names another drive, the same for every server. A virtual server without
    /// the attribute is not reported: its queue is then under the Exchange installation path,
    /// whose drive the export does not tell. Small Business Server is exempt, as in ExBPA:
    /// with `--sbs` the rule is not evaluated.
    /// The placeholder virtual servers of Exchange 2007 and later are not judged.
    ///
    /// ## Why it matters
    /// Every message the virtual server handles is written to its queue directory. On the
    /// system drive, that traffic competes with the operating system and its paging file for
    /// the same disk, and a queue that grows (a remote server down, a mail storm) can fill the
    /// system drive and stop Windows.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,...
    /// objectClass: protocolCfgSMTPServer
    /// msExchSmtpQueueDirectory: C:\Program Files\Exchsrvr\Mailroot\vsi 1\Queue
    /// ```
    ///
    /// ## How to fix
    /// In Exchange System Manager, open the virtual server's properties, Messages, and change
    /// "Queue directory" to a folder on another disk; ESM moves the queue. If Windows is not on
    /// `C:`, pass `--system-drive`.
    ///
    /// ## Origin
    /// Exchange Server Analyzer: [SMTP queue directory on the system drive],
    /// <https://unifiedpeople.ru/extra.en/html/54ff5600-7602-4f4f-987f-5af04927556a.htm>.
    /// ExBPA also checks that the SMTP service runs, which an export cannot tell.
    pub static QUEUE_ON_SYSTEM_DRIVE = Rule {
        code: "SMTP016",
        name: "queue-on-system-drive",
        title: "SMTP queue directory on the system drive",
        severity: Severity::Warning,
        origin: Origin::ExBpa,
        precondition: needs::legacy_virtual_servers_outside_sbs,
        check: Check::Server(check),
    };
}

fn check(server: &Server<'_>, context: &Context<'_>) -> Vec<Finding> {
    virtual_server_setting(
        &QUEUE_ON_SYSTEM_DRIVE,
        server,
        context,
        |vs| vs.queue_directory(),
        |path: &String, context| {
            let drive = &context.options.system_drive;
            on_drive(path, drive).then(|| Verdict {
                problem: format!("the queue directory `{path}` is on the system drive `{drive}`"),
                expected: format!("the system drive is `{drive}` (`--system-drive`; `C:` unless given)"),
            })
        },
    )
}

/// Whether a path (`C:\Exchsrvr\...`, `c:/...`) is on a drive written like `C:`.
fn on_drive(path: &str, drive: &str) -> bool {
    path.trim().get(..drive.len()).is_some_and(|start| start.eq_ignore_ascii_case(drive))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_drive_letters_ignoring_case() {
        assert!(on_drive(r"C:\Program Files\Exchsrvr\Mailroot\vsi 1\Queue", "C:"));
        assert!(on_drive(r"c:\Exchsrvr\Mailroot\vsi 1\Queue", "C:"));
        assert!(!on_drive(r"D:\Exchsrvr\Mailroot\vsi 1\Queue", "C:"));
        assert!(on_drive(r"D:\Queue", "D:"));
        assert!(!on_drive(r"\\filer\queue", "C:"));
        assert!(!on_drive("C", "C:"));
    }
}
