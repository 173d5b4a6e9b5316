//! A search's candidates drawn as the tree they form: each child under its
//! parent, in the order they were made.

use std::collections::HashMap;

/// One candidate of the tree: its id, its parent's and the text shown for it.
pub struct TreeNode {
    pub id: i64,
    pub parent: Option<i64>,
    pub label: String,
}

/// The tree, one line per node: roots (no parent, or a parent not among the
/// nodes) at the left, children under their parent with `├─`, `└─` and `│`,
/// siblings in the order given.
pub fn draw_tree(nodes: &[TreeNode]) -> String {
    let mut children: HashMap<Option<i64>, Vec<&TreeNode>> = HashMap::new();
    let known: std::collections::HashSet<i64> = nodes.iter().map(|n| n.id).collect();
    for node in nodes {
        let parent = node.parent.filter(|p| known.contains(p) && *p != node.id);
        children.entry(parent).or_default().push(node);
    }
    let mut out = String::new();
    // (node, prefix of its line, its branch), depth first without recursion:
    // a lineage can be long.
    let mut stack: Vec<(&TreeNode, String, &str)> = Vec::new();
    let none = Vec::new();
    for root in children.get(&None).unwrap_or(&none).iter().rev() {
        stack.push((root, String::new(), ""));
    }
    while let Some((node, prefix, branch)) = stack.pop() {
        out.push_str(&prefix);
        out.push_str(branch);
        out.push_str(&node.label);
        out.push('\n');
        let carry = match branch {
            "├─ " => "│  ",
            "└─ " => "   ",
            _ => "",
        };
        let kids = children.get(&Some(node.id)).unwrap_or(&none);
        push_children(&mut stack, kids, &format!("{prefix}{carry}"));
    }
    out
}

/// Pushes `kids` so that the first is popped first, the last with `└─`.
fn push_children<'a>(
    stack: &mut Vec<(&'a TreeNode, String, &'static str)>,
    kids: &[&'a TreeNode],
    prefix: &str,
) {
    for (k, kid) in kids.iter().enumerate().rev() {
        let branch = if k + 1 == kids.len() {
            "└─ "
        } else {
            "├─ "
        };
        stack.push((kid, prefix.to_string(), branch));
    }
}

#[cfg(test)]
mod tests {
    use super::{draw_tree, TreeNode};

    fn node(id: i64, parent: Option<i64>) -> TreeNode {
        TreeNode {
            id,
            parent,
            label: format!("c{id}"),
        }
    }

    #[test]
    fn children_hang_under_their_parents() {
        let nodes = [
            node(1, None),
            node(2, None),
            node(3, Some(1)),
            node(4, Some(3)),
            node(5, Some(1)),
            node(6, Some(3)),
            node(7, Some(99)), // a parent not shown: drawn as a root
        ];
        assert_eq!(
            draw_tree(&nodes),
            "c1\n├─ c3\n│  ├─ c4\n│  └─ c6\n└─ c5\nc2\nc7\n"
        );
    }

    #[test]
    fn a_long_lineage_is_drawn_without_recursion() {
        let nodes: Vec<TreeNode> = (0..3_000)
            .map(|i| node(i, (i > 0).then(|| i - 1)))
            .collect();
        let drawn = draw_tree(&nodes);
        assert_eq!(drawn.lines().count(), 3_000);
        assert!(drawn.lines().last().unwrap().ends_with("└─ c2999"));
    }
}
