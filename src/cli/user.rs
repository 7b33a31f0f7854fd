//! `callgrade user`: the accounts of the review web app, kept in the same database. Passwords
//! are read from standard input, never from the command line (which other users of the
//! machine can see in the process list and which lands in shell history).

use super::table::Table;
use super::terminal::{out, say};
use crate::store::{Role, Store};
use crate::web::password;
use clap::{Args, Subcommand, ValueEnum};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The database is created when missing, so an administrator can make
    /// accounts before the first `callgrade run`.
    ///
    ///   echo 'a long password' | callgrade user add amy --role supervisor --password-stdin --db callgrade.db
    #[command(verbatim_doc_comment)]
    Add {
        /// Login name (1 to 64 characters, any script; not case-sensitive).
        name: String,
        /// admin: everything, including users and the audit log; supervisor: also overrides
        /// verdicts; trainer: reads and exports.
        #[arg(long, value_enum)]
        role: RoleArg,
        #[command(flatten)]
        password: PasswordArg,
        /// The database (created when missing).
        #[arg(long, default_value = "callgrade.db")]
        db: PathBuf,
    },
    /// List the accounts with role, language and whether they may log in.
    List {
        #[command(flatten)]
        db: UserDb,
    },
    /// Stop an account from logging in; its open sessions end at once. Its name stays in the
    /// audit log.
    Disable {
        name: String,
        #[command(flatten)]
        db: UserDb,
    },
    /// Set a new password; the account's open sessions end.
    Passwd {
        name: String,
        #[command(flatten)]
        password: PasswordArg,
        #[command(flatten)]
        db: UserDb,
    },
}

#[derive(Debug, Args)]
pub struct UserDb {
    /// The database holding the accounts.
    #[arg(long, default_value = "callgrade.db")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct PasswordArg {
    /// Read the password (at least 8 characters) from the first line of standard input.
    /// Required: a password on the command line would be visible to other users of this
    /// machine.
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Supervisor,
    Trainer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Trainer => Role::Trainer,
        }
    }
}

pub fn main(cmd: UserCommand) -> anyhow::Result<i32> {
    match cmd {
        UserCommand::Add {
            name,
            role,
            db,
            password: _,
        } => {
            let hash = read_password()?;
            let mut store = Store::open(&db)?;
            let account = store.add_user(&name, role.into(), &hash)?;
            store.audit(
                "(command line)",
                "user-add",
                &format!("{} as {}", account.name, account.role.as_str()),
            )?;
            out(&format!(
                "Added {} ({}) to {}. Start the app with `callgrade serve --db {}`.\n",
                account.name,
                account.role.as_str(),
                db.display(),
                db.display()
            ))?;
        }
        UserCommand::List { db } => {
            let store = Store::open_read_only(&db.db)?;
            let users = store.users()?;
            if users.is_empty() {
                out(&format!(
                    "{} has no users. Add one with `callgrade user add NAME --role admin --password-stdin --db {}`.\n",
                    db.db.display(),
                    db.db.display()
                ))?;
                return Ok(0);
            }
            let mut table = Table::new(["name", "role", "language", "created", "status"]);
            for u in users {
                let status = match u.disabled_at {
                    Some(at) => format!("disabled {at}"),
                    None => "may log in".into(),
                };
                table.row([u.name, u.role.as_str().into(), u.lang, u.created_at, status]);
            }
            out(&table.to_string())?;
        }
        UserCommand::Disable { name, db } => {
            let mut store = Store::open_existing(&db.db)?;
            let account = store.disable_user(&name)?;
            store.audit("(command line)", "user-disable", &account.name)?;
            out(&format!(
                "Disabled {}: it can no longer log in.\n",
                account.name
            ))?;
        }
        UserCommand::Passwd { name, db, .. } => {
            let hash = read_password()?;
            let mut store = Store::open_existing(&db.db)?;
            let account = store.set_password(&name, &hash)?;
            store.audit("(command line)", "user-password", &account.name)?;
            out(&format!(
                "New password set for {}; its open sessions have ended.\n",
                account.name
            ))?;
        }
    }
    Ok(0)
}

/// The first line of standard input, hashed. Read before the database is opened, so a
/// rejected password changes nothing.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        say(
            "Type the password and press Enter (it is shown as you type; pipe it in to avoid that):",
        );
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let line = line.strip_suffix('\n').unwrap_or(&line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    password::hash(line).map_err(|e| {
        anyhow::anyhow!("{e} The password is read from standard input (--password-stdin).")
    })
}
