package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"crossguard"
	"crossguard/httpapi"
)

// runOperation dispatches the joint operation subcommands.
func runOperation(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "operation", []subcommand{
		{"add", "FILE.json", "create a joint operation, shared with its participants only", runOperationAdd},
		{"list", "", "list operations, own and received, with their status", runOperationList},
		{"show", "ID", "print an operation with its warnings, feedback and messages", runOperationShow},
		{"report", "ID", "warnings, feedback, hits and seizures of an operation", runOperationReport},
		{"warn", "OP_ID FILE.json", "send a warning to the operation's participants", runOperationWarn},
		{"withdraw", "WARNING_ID", "withdraw a warning of this node", runOperationWithdraw},
		{"feedback", "WARNING_ID", "answer a warning: seized, nothing found, not seen...", runOperationFeedback},
		{"message", "OP_ID TEXT", "send a coordination message to the participants", runOperationMessage},
	}, args)
}

// operationFile is the JSON file of `operation add`: the body of POST
// /api/v1/operations.
type operationFile struct {
	Name         string                    `json:"name"`
	Participants []string                  `json:"participants"`
	StartsAt     time.Time                 `json:"starts_at"`
	EndsAt       time.Time                 `json:"ends_at"`
	Focus        crossguard.OperationFocus `json:"focus"`
	Marking      crossguard.Marking        `json:"marking"`
}

// runOperationAdd creates an operation from a JSON file.
func runOperationAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation add", "operation add FILE.json [flags]", `
Creates a joint operation of this node from FILE.json ('-' reads stdin): a
name, the participating agencies (this node's agency is added if left out),
the period, the focus (goods categories, HS prefixes, routes as lists of
countries, crossing points) and a marking. The operation goes to its
participants and to nobody else; so do its warnings, feedback and messages.

Example FILE.json:
  {"name": "Opium Route Winter", "participants": ["pk-customs", "af-customs"],
   "starts_at": "2026-11-25T00:00:00Z", "ends_at": "2027-01-31T00:00:00Z",
   "focus": {"categories": ["narcotics"], "hs_prefixes": ["1211", "2939"],
             "routes": [["AF", "PK", "CN"]], "crossings": ["Sost"]},
   "marking": {"tlp": "amber", "handling": "H1"}}

Example:
  crossguard operation add winter.json`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	var in operationFile
	if err := readRecordFile(env, pos[0], "an operation", &in); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		op, err := o.Node.Cooperation.CreateOperation(ctx, cliActor(env), &crossguard.Operation{Header: crossguard.Header{Marking: in.Marking},
			Name: in.Name, Participants: in.Participants, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Focus: in.Focus})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Operation %s created: %q, %s, participants %s.\n", op.ID, op.Name,
			period(op), strings.Join(op.Participants, ", "))
		return nil
	})
}

// period writes an operation's period.
func period(op *crossguard.Operation) string {
	return op.StartsAt.UTC().Format("2006-01-02 15:04") + " to " + op.EndsAt.UTC().Format("2006-01-02 15:04 MST")
}

// runOperationList lists operations.
func runOperationList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation list", "operation list [--json] [flags]", `
Lists every joint operation this node holds, its own and those received
from other participants, with its status (planned, running or ended),
period and participants.

Example:
  crossguard operation list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		ops, err := o.Node.Cooperation.Operations(ctx, cliActor(env))
		if err != nil {
			return err
		}
		now := o.Node.Core.Clock.Now()
		return printList(env, ops, *asJSON, "No operations. Create one with: crossguard operation add FILE.json",
			"ID\tNAME\tORIGIN\tSTATUS\tPERIOD\tPARTICIPANTS",
			func(op *crossguard.Operation) string {
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s", op.ID, clipText(op.Name, 40), op.Origin, op.Status(now), period(op), strings.Join(op.Participants, ","))
			})
	})
}

// operationShown is what `operation show` prints: the operation, its
// warnings, the feedback on them and its messages.
type operationShown struct {
	Operation *crossguard.Operation  `json:"operation"`
	Status    string                 `json:"status"`
	Warnings  []*crossguard.Warning  `json:"warnings"`
	Feedback  []*crossguard.Feedback `json:"feedback"`
	Messages  []*crossguard.Message  `json:"messages"`
}

// runOperationShow prints an operation with its records as JSON.
func runOperationShow(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation show", "operation show ID [flags]", `
Prints an operation as JSON with its status, its live warnings, the
feedback on them and its messages, from every participant, oldest first.

Example:
  crossguard operation show 0193a8d2-...`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		actor := cliActor(env)
		op, err := o.Node.Cooperation.Operation(ctx, actor, pos[0])
		if err != nil {
			return err
		}
		out := operationShown{Operation: op, Status: op.Status(o.Node.Core.Clock.Now()), Feedback: []*crossguard.Feedback{}}
		if out.Warnings, err = o.Node.Cooperation.Warnings(ctx, actor, op.ID); err != nil {
			return err
		}
		for _, w := range out.Warnings {
			fs, err := o.Node.Cooperation.FeedbackOn(ctx, actor, w.ID)
			if err != nil {
				return err
			}
			out.Feedback = append(out.Feedback, fs...)
		}
		if out.Messages, err = o.Node.Cooperation.Messages(ctx, actor, op.ID); err != nil {
			return err
		}
		return writeJSON(env.Stdout, out)
	})
}

// runOperationReport prints an operation's report.
func runOperationReport(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation report", "operation report ID [--format text|csv|json] [flags]", `
Prints the report of an operation from the records this node holds:
warnings sent and received per agency, feedback rate and time to feedback,
hits (warnings that led to a seizure), seizures and quantities by goods
category, and figures per day. Every participant's node prints the same
report once synced. 'text' is a readable summary with tables, 'csv' one
flat file whose first column says the section (totals, agency, day,
category), 'json' the API's report.

Examples:
  crossguard operation report 0193a8d2-...
  crossguard operation report 0193a8d2-... --format csv > winter.csv`)
	c.register(fs, env)
	format := fs.String("format", httpapi.ReportText, "output format: "+strings.Join(httpapi.ReportFormats, ", "))
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	if !slices.Contains(httpapi.ReportFormats, *format) {
		return fmt.Errorf("--format: %q is not one of %s", *format, strings.Join(httpapi.ReportFormats, ", "))
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		rep, err := o.Node.Cooperation.OperationReport(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		switch *format {
		case httpapi.ReportJSON:
			return writeJSON(env.Stdout, rep)
		case httpapi.ReportCSV:
			_, err = env.Stdout.Write(httpapi.OperationReportCSV(rep))
		default:
			_, err = env.Stdout.Write(httpapi.OperationReportText(rep))
		}
		if err != nil {
			return fmt.Errorf("write the report: %w", err)
		}
		return nil
	})
}

// runOperationMessage sends a message in an operation.
func runOperationMessage(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation message", "operation message OP_ID TEXT [--tlp TLP --handling H] [flags]", `
Sends a coordination message to every participant of an operation this
node's agency takes part in, and to nobody else. Without --tlp the message
takes the operation's marking.

Example:
  crossguard operation message 0193a8d2-... "Scanner at Sost down until 14:00; use lane 2."`)
	c.register(fs, env)
	var m markingFlags
	m.register(fs)
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		msg, err := o.Node.Cooperation.CreateMessage(ctx, cliActor(env), pos[0], &crossguard.Message{Header: crossguard.Header{Marking: m.marking()}, Text: pos[1]})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Message %s sent to %s (TLP:%s).\n", msg.ID, strings.Join(msg.Recipients, ", "), strings.ToUpper(msg.Marking.TLP))
		return nil
	})
}

// markingFlags are the optional --tlp and --handling of commands whose
// record otherwise takes the marking of what it belongs to.
type markingFlags struct{ tlp, handling string }

// register adds --tlp and --handling to fs.
func (m *markingFlags) register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&m.tlp, "tlp", "", "TLP marking: "+strings.Join(crossguard.TLPs, ", ")+" (default: the marking of what it answers)")
	fs.StringVar(&m.handling, "handling", "H1", "handling code, with --tlp")
}

// marking returns the marking given, or none (the default) without --tlp.
func (m *markingFlags) marking() crossguard.Marking {
	if m.tlp == "" {
		return crossguard.Marking{}
	}
	return crossguard.Marking{TLP: m.tlp, Handling: m.handling}
}
