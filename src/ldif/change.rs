//! Change records: the `changetype:` line, `control:` lines, the modifications of a modify
//! record and the lines of a modrdn record (RFC 2849 `changerecord`).

use std::borrow::Cow;

use nom::Parser;
use nom::combinator::all_consuming;

use super::base64::check_base64;
use super::error::{Error, ErrorKind, excerpt};
use super::grammar::{attribute_description, control_body};
use super::reader::{LogicalLine, Records};
use super::record::{Body, ChangeType, Control, ModOp, Modification, Value, ValueForm};
use crate::source::Span;

impl<'a> Records<'a> {
    pub(super) fn change_type(&self, line: &LogicalLine) -> Result<ChangeType, Error> {
        let attribute = self.attribute(line)?;
        let keyword = attribute.value.text();
        ChangeType::parse(keyword.trim_end()).ok_or_else(|| {
            Error::new(
                ErrorKind::MalformedChangeRecord,
                attribute.value.span,
                format!("unknown change type `{}`", excerpt(keyword.as_bytes())),
            )
            .with_hint("change types are add, delete, modify, modrdn, moddn and ldifde's ntdsSchema* variants")
        })
    }

    pub(super) fn control(&self, line: &LogicalLine) -> Result<Control<'a>, Error> {
        let attribute = self.attribute(line)?;
        let body = attribute.value.bytes();
        let malformed = || {
            Error::new(
                ErrorKind::MalformedChangeRecord,
                line.span(),
                format!("`{}` is not a control", self.excerpt(line)),
            )
            .with_hint("a control is `control: OID [true|false] [: value | :: base64]`")
        };
        let (rest, head) = control_body(&body).map_err(|_| malformed())?;
        let value = match head.form {
            Some(form) => {
                if form == ValueForm::Base64 {
                    check_base64(rest, line.start).map_err(|_| malformed())?;
                }
                Some(Value::new(form, Cow::Owned(rest.to_vec()), false, line.span()))
            }
            None if rest.trim_ascii().is_empty() => None,
            None => return Err(malformed()),
        };
        Ok(Control {
            oid: String::from_utf8_lossy(head.oid).into_owned(),
            critical: head.critical,
            value,
            span: line.span(),
        })
    }

    /// `1*(mod-spec)`, with the last `-` optional as every reader accepts.
    pub(super) fn modifications(&self, mut lines: &[LogicalLine]) -> Result<Vec<Modification<'a>>, Error> {
        let mut modifications = Vec::new();
        while let Some(head) = lines.first() {
            let spec = if self.is_separator(head) { None } else { Some(self.attribute(head)?) };
            let op = spec.as_ref().and_then(|spec| match spec.name().to_ascii_lowercase().as_str() {
                "add" => Some(ModOp::Add),
                "delete" => Some(ModOp::Delete),
                "replace" => Some(ModOp::Replace),
                "increment" => Some(ModOp::Increment),
                _ => None,
            });
            let (Some(op), Some(spec)) = (op, spec) else {
                let error = Error::new(
                    ErrorKind::MalformedChangeRecord,
                    head.span(),
                    format!("expected `add:`, `delete:`, `replace:` or `increment:`, found `{}`", self.excerpt(head)),
                );
                return Err(if self.is_keyword(head, "dn") {
                    error.with_hint("a blank line is missing before this `dn:` line")
                } else {
                    error
                });
            };
            let attribute = spec.value.text().trim_end().to_owned();
            if all_consuming(attribute_description).parse(attribute.as_bytes()).is_err() {
                return Err(Error::new(
                    ErrorKind::InvalidAttributeDescription,
                    spec.value.span,
                    format!("`{}` is not an attribute description", excerpt(attribute.as_bytes())),
                ));
            }
            lines = &lines[1..];
            let mut values = Vec::new();
            let mut end = head.end;
            while let Some(line) = lines.first() {
                lines = &lines[1..];
                end = line.end;
                if self.is_separator(line) {
                    break;
                }
                let value = self.attribute(line)?;
                if !value.description().eq_ignore_ascii_case(&attribute) {
                    return Err(Error::new(
                        ErrorKind::MalformedChangeRecord,
                        line.span(),
                        format!("a `{}` value inside the modification of `{attribute}`", value.description()),
                    )
                    .with_hint("end each modification with a line holding only `-`"));
                }
                values.push(value);
            }
            modifications.push(Modification {
                op,
                attribute: Cow::Owned(attribute),
                values,
                span: Span::new(head.start, end),
            });
        }
        Ok(modifications)
    }

    /// `("modrdn" / "moddn") SEP "newrdn:" ... SEP "deleteoldrdn:" FILL ("0" / "1") SEP 0*1("newsuperior:" ...)`
    pub(super) fn rename<'l>(
        &self,
        lines: &'l [LogicalLine],
        changetype: &LogicalLine,
    ) -> Result<(Body<'a>, &'l [LogicalLine]), Error> {
        let missing = |what: &str| {
            Error::new(
                ErrorKind::MalformedChangeRecord,
                changetype.span(),
                format!("a modrdn record needs a `{what}:` line here"),
            )
        };
        let mut lines = lines.iter();
        let mut next = |keyword: &str| match lines.clone().next() {
            Some(line) if self.is_keyword(line, keyword) => {
                lines.next();
                self.attribute(line).map(Some)
            }
            _ => Ok(None),
        };
        let new_rdn = next("newrdn")?.ok_or_else(|| missing("newrdn"))?.value;
        let delete_old_rdn = next("deleteoldrdn")?.ok_or_else(|| missing("deleteoldrdn"))?.value;
        let new_superior = next("newsuperior")?.map(|attribute| attribute.value);
        let delete_old_rdn = match delete_old_rdn.text().trim_end() {
            "0" => false,
            "1" => true,
            other => {
                return Err(Error::new(
                    ErrorKind::MalformedChangeRecord,
                    delete_old_rdn.span,
                    format!("`deleteoldrdn:` must be 0 or 1, found `{}`", excerpt(other.as_bytes())),
                ));
            }
        };
        let after = lines.as_slice();
        match after.first() {
            Some(extra) if !self.is_keyword(extra, "dn") => Err(Error::new(
                ErrorKind::MalformedChangeRecord,
                extra.span(),
                format!("unexpected `{}` after a modrdn record's lines", self.excerpt(extra)),
            )),
            _ => Ok((Body::Rename { new_rdn, delete_old_rdn, new_superior }, after)),
        }
    }
}
