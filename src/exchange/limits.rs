//! The organization's message limits: `CN=Message Delivery,CN=Global Settings,...` on Exchange
//! 2000/2003 and `CN=Transport Settings,...` on Exchange 2007 SP1 and later keep them in the same
//! attributes.

use super::{Located, Node};

/// An Integer limit as an entry holds it, where absent or below 1 means no limit.
#[derive(Clone, Debug)]
pub enum Limit<'a> {
    /// The attribute, named here for messages, is absent.
    Absent {
        attribute: &'static str,
    },
    /// 0 or less: no limit.
    Unlimited(Located<'a, i64>),
    Set(Located<'a, i64>),
    /// Present but not a number: not judged.
    Unreadable,
}

/// An entry that holds the organization's message limits.
#[derive(Clone, Debug)]
pub struct MessageLimits<'a> {
    pub node: Node<'a>,
}

impl<'a> MessageLimits<'a> {
    /// `msExchRecipLimit`: recipients per message.
    pub fn max_recipients(&self) -> Limit<'a> {
        self.limit("msExchRecipLimit")
    }

    /// `delivContLength`: the largest message received, in KB.
    pub fn max_receive_size(&self) -> Limit<'a> {
        self.limit("delivContLength")
    }

    /// `submissionContLength`: the largest message sent, in KB.
    pub fn max_send_size(&self) -> Limit<'a> {
        self.limit("submissionContLength")
    }

    fn limit(&self, attribute: &'static str) -> Limit<'a> {
        match (self.node.attribute(attribute), self.node.integer(attribute)) {
            (None, _) => Limit::Absent { attribute },
            (Some(_), None) => Limit::Unreadable,
            (Some(_), Some(value)) if *value < 1 => Limit::Unlimited(value),
            (Some(_), Some(value)) => Limit::Set(value),
        }
    }
}
