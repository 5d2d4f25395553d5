//! Roles and what each may do (ARCHITECTURE.md, "Roles"). One table, read by the server's access check and
//! by the navigation, so a link is shown exactly when its page would be allowed.

use serde::{Deserialize, Serialize};

use crate::choice::Choice;

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role {
        Admin,
        Sales,
        Warehouse,
        Accounting,
    }
}

impl Choice for Role {
    const ALL: &'static [Self] = &[Role::Admin, Role::Sales, Role::Warehouse, Role::Accounting];

    fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Sales => "sales",
            Role::Warehouse => "warehouse",
            Role::Accounting => "accounting",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Sales => "Sales",
            Role::Warehouse => "Warehouse",
            Role::Accounting => "Accounting",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may call a group of server functions. Admin is implied everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Any signed-in user.
    SignedIn,
    /// Only these roles (and admin).
    Roles(&'static [Role]),
    /// Administrators only.
    AdminOnly,
}

impl Access {
    pub fn allows(self, role: Role) -> bool {
        match self {
            _ if role == Role::Admin => true,
            Access::SignedIn => true,
            Access::Roles(roles) => roles.contains(&role),
            Access::AdminOnly => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for &r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn admin_may_do_everything_others_only_what_is_listed() {
        let sales_only = Access::Roles(&[Role::Sales]);
        assert!(sales_only.allows(Role::Admin));
        assert!(sales_only.allows(Role::Sales));
        assert!(!sales_only.allows(Role::Warehouse));
        assert!(!Access::AdminOnly.allows(Role::Accounting));
        assert!(Access::AdminOnly.allows(Role::Admin));
        assert!(Role::ALL.iter().all(|&r| Access::SignedIn.allows(r)));
    }
}
