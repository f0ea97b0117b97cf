//! Code actions: each fixable diagnostic's fix as a `quickfix` (safe ones preferred, unsafe
//! ones labelled), and `source.fixAll.connlint`, which applies every safe fix as
//! `connlint check --fix` would. The edits are the `--fix` engine's own byte edits.
//!
//! Secrets: a fix never moves a credential, but an edit that would write text over a secret
//! value is withheld all the same, and the fix-all edits are computed as a character diff so
//! that only what changed (never the untouched text around it) goes back to the client.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};

use crate::diagnostic::{Applicability, Edit, Span};

use super::analysis::Analysis;
use super::text::{Encoding, Text};

/// The kind of the fix-all action.
pub(super) const FIX_ALL: &str = "source.fixAll.connlint";

/// Whether two ranges share a position (touching counts, as a cursor on a diagnostic's
/// edge is on it).
fn touches(a: &Range, b: &Range) -> bool {
    let before = |x: &lsp_types::Position, y: &lsp_types::Position| {
        (x.line, x.character) < (y.line, y.character)
    };
    !before(&a.end, &b.start) && !before(&b.end, &a.start)
}

/// Whether `kind` is asked for by `only` (a kind asks for its sub-kinds: `source` asks for
/// `source.fixAll.connlint`).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            kind == o || kind.starts_with(&format!("{o}."))
        })
    })
}

/// The secret values of the analysed text (file spans, as the CLI's redaction finds them).
fn secrets(analysis: &Analysis, json_lines: bool) -> Vec<Span> {
    let text = analysis.text.as_str();
    if !json_lines {
        return crate::redact::secret_spans(text);
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        spans.extend(
            crate::redact::line_secret_spans(line)
                .into_iter()
                .map(|s| s.shifted(start)),
        );
        start += line.len();
    }
    spans
}

fn writes_over_a_secret(edit: &Edit, secrets: &[Span]) -> bool {
    !edit.content.is_empty()
        && secrets
            .iter()
            .any(|s| edit.start < s.end.max(s.start + 1) && s.start < edit.end.max(edit.start + 1))
}

fn text_edits(text: &Text, edits: &[Edit], encoding: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit {
            range: text.range(e.start, e.end, encoding),
            new_text: e.content.clone(),
        })
        .collect()
}

fn workspace_edit(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// The quick fixes of the diagnostics that touch `range`, then (when something would
/// change) the fix-all action whose result is `fixed_all`.
pub(super) fn code_actions(
    uri: &Url,
    analysis: &Analysis,
    range: Range,
    only: Option<&[CodeActionKind]>,
    encoding: Encoding,
    json_lines: bool,
    fixed_all: Option<&str>,
) -> Vec<CodeActionOrCommand> {
    let text = &analysis.text;
    let secrets = secrets(analysis, json_lines);
    let lsp_diagnostics = super::analysis::to_lsp(analysis, uri, encoding);
    let mut actions = Vec::new();
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for (d, lsp) in analysis.report.diagnostics.iter().zip(&lsp_diagnostics) {
            let Some(fix) = &d.fix else { continue };
            if !touches(&lsp.range, &range)
                || fix.edits.iter().any(|e| writes_over_a_secret(e, &secrets))
            {
                continue;
            }
            let safe = fix.applicability == Applicability::Safe;
            let what = d.help.as_deref().unwrap_or("apply connlint's fix");
            let title = if safe {
                format!("Fix {}: {what}", d.code)
            } else {
                format!("Fix {} (unsafe: may change meaning): {what}", d.code)
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp.clone()]),
                edit: Some(workspace_edit(uri, text_edits(text, &fix.edits, encoding))),
                is_preferred: Some(safe),
                ..CodeAction::default()
            }));
        }
    }
    if wanted(only, FIX_ALL) {
        if let Some(fixed) = fixed_all {
            let edits: Vec<Edit> = diff_edits(text.as_str(), fixed)
                .into_iter()
                .filter(|e| !writes_over_a_secret(e, &secrets))
                .collect();
            if !edits.is_empty() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all safe connlint problems".to_string(),
                    kind: Some(CodeActionKind::new(FIX_ALL)),
                    edit: Some(workspace_edit(uri, text_edits(text, &edits, encoding))),
                    ..CodeAction::default()
                }));
            }
        }
    }
    actions
}

/// The edits that turn `before` into `after`: the changed runs of a character diff, so an
/// edit holds only new text (a renamed key, nothing at all for a removal).
pub(super) fn diff_edits(before: &str, after: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(500))
        .diff_chars(before, after);
    let mut edits: Vec<Edit> = Vec::new();
    let (mut old_at, mut new_at) = (0usize, 0usize);
    let old_tokens = diff.old_slices();
    let new_tokens = diff.new_slices();
    let bytes = |tokens: &[&str], range: std::ops::Range<usize>| -> usize {
        tokens[range].iter().map(|t| t.len()).sum()
    };
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        let old_len = bytes(old_tokens, old.clone());
        let new_len = bytes(new_tokens, new.clone());
        if tag != similar::DiffTag::Equal {
            let content = after[new_at..new_at + new_len].to_string();
            // Runs that meet become one edit, so no two edits share a position.
            match edits.last_mut() {
                Some(last) if last.end == old_at => {
                    last.end = old_at + old_len;
                    last.content.push_str(&content);
                }
                _ => edits.push(Edit {
                    start: old_at,
                    end: old_at + old_len,
                    content,
                }),
            }
        }
        old_at += old_len;
        new_at += new_len;
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.start..e.end, &e.content);
        }
        out
    }

    #[test]
    fn a_rename_is_one_small_edit() {
        let before = "{\n  \"integrationType\": \"x\",\n  \"token\": \"abcdef\"\n}";
        let after = before.replace("integrationType", "integration_type");
        let edits = diff_edits(before, &after);
        assert_eq!(apply(before, &edits), after);
        assert!(edits.iter().all(|e| !e.content.contains("abcdef")));
        assert!(edits.iter().map(|e| e.content.len()).sum::<usize>() <= "_type".len() + 2);
    }

    proptest! {
        #[test]
        fn diff_edits_turn_one_text_into_the_other(a in "[a-c😀\n]{0,30}", b in "[a-c😀\n]{0,30}") {
            prop_assert_eq!(apply(&a, &diff_edits(&a, &b)), b);
        }
    }
}
